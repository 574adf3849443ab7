import Foundation
import TestSupport
import Testing

@testable import KubeClient

@Suite("exec credential plugins: configuration, the plugin protocol, caching and errors")
struct ExecCredentialTests {
    // MARK: kubeconfig

    @Test("a kubeconfig exec stanza: relative command against the kubeconfig's directory, args, env, installHint")
    func parsesStanza() throws {
        let dir = ConfigDir()
        let file = dir.write("sub/config", execKubeconfig(exec: """
            apiVersion: client.authentication.k8s.io/v1
            command: ./bin/get-token
            args: [--cluster, dev, 3]
            env:
            - {name: REGION, value: eu-north-1}
            interactiveMode: IfAvailable
            installHint: brew install get-token
            """))
        let connection = try KubeConfig.fromFiles([file])
        let config = try #require(connection.token?.execPlugin?.config)
        #expect(config.apiVersion == .v1)
        #expect(config.command == dir.path + "/sub/./bin/get-token")
        #expect(config.arguments == ["--cluster", "dev", "3"])
        #expect(config.environment == [ExecConfig.EnvVar(name: "REGION", value: "eu-north-1")])
        #expect(config.interactiveMode == .ifAvailable)
        #expect(config.installHint == "brew install get-token")
        #expect(config.cluster == nil, "no cluster information unless provideClusterInfo")
        #expect(connection.description.contains("exec plugin get-token"))
        let bare = try KubeConfig.fromFiles([dir.write("bare", execKubeconfig(exec: "apiVersion: client.authentication.k8s.io/v1beta1\ncommand: aws"))])
        #expect(bare.token?.execPlugin?.config.command == "aws", "a bare name is looked up in PATH when run")
        #expect(bare.token?.execPlugin?.config.interactiveMode == .ifAvailable, "v1beta1 defaults to IfAvailable")
    }

    @Test("invalid exec stanzas are refused with a reason", arguments: [
        ("apiVersion: client.authentication.k8s.io/v1alpha1\ncommand: x", "not supported"),
        ("command: x\ninteractiveMode: Never", "apiVersion is required"),
        ("apiVersion: client.authentication.k8s.io/v1\ncommand: x", "interactiveMode is required"),
        ("apiVersion: client.authentication.k8s.io/v1\ncommand: x\ninteractiveMode: Always", "without a terminal"),
        ("apiVersion: client.authentication.k8s.io/v1\ncommand: x\ninteractiveMode: Sometimes", "is not Never, IfAvailable or Always"),
        ("apiVersion: client.authentication.k8s.io/v1\ninteractiveMode: Never", "command is required"),
        ("apiVersion: client.authentication.k8s.io/v1\ncommand: x\ninteractiveMode: Never\nenv: [{name: A}]", "env variable A needs a value"),
    ])
    func invalidStanza(stanza: String, reason: String) throws {
        let dir = ConfigDir()
        let file = dir.write("config", execKubeconfig(exec: stanza))
        #expect { try KubeConfig.fromFiles([file]) } throws: { error in
            let text = "\(error)"
            return error is KubeConfigError && text.contains(reason) && text.contains("user \"u\"")
        }
    }

    @Test("no kubeconfig and not in a cluster: the error names every place hourly-image looks")
    func nothingConfigured() throws {
        let home = ConfigDir()
        #expect { try KubeConfig.load(environment: ["HOME": home.path]) } throws: { error in
            let text = "\(error)"
            return ["KUBERNETES_SERVICE_HOST", "service-account token", "--kubeconfig", "KUBECONFIG", home.path + "/.kube/config"].allSatisfy(text.contains)
        }
    }

    // MARK: the protocol

    @Test("v1 and v1beta1: the answer's version must match, and KUBERNETES_EXEC_INFO says the same version, not interactive",
          arguments: ExecConfig.APIVersion.allCases)
    func versions(version: ExecConfig.APIVersion) async throws {
        let plugins = PluginDir()
        let script = plugins.script("plugin", "printf '%s' \"$KUBERNETES_EXEC_INFO\" > '\(plugins.path)/info'\n" + printsRunToken(version))
        let plugin = ExecCredentialPlugin(config: execConfig(script, version))
        let credential = try await onOwnThread { try plugin.credential() }
        #expect(credential.token == "tok-1")
        #expect(credential.expiration == nil)
        let info = try #require(plugins.read("info"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(info.utf8)) as? [String: Any])
        #expect(object["apiVersion"] as? String == version.rawValue)
        #expect(object["kind"] as? String == "ExecCredential")
        let spec = try #require(object["spec"] as? [String: Any])
        #expect(spec["interactive"] as? Bool == false)
        #expect(spec["cluster"] == nil)
        let other: ExecConfig.APIVersion = version == .v1 ? .v1beta1 : .v1
        let mismatched = ExecCredentialPlugin(config: execConfig(plugins.script("other", printsRunToken(other)), version))
        await #expect { try await onOwnThread { try mismatched.credential() } } throws: { error in
            guard case .invalidOutput(_, let why) = error as? ExecCredentialError else { return false }
            return why.contains(other.rawValue) && why.contains(version.rawValue)
        }
    }

    @Test("args and env reach the plugin, on top of the environment hourly-image runs with; stdin is not a terminal")
    func argumentsAndEnvironment() async throws {
        let plugins = PluginDir()
        let dir = plugins.path
        plugins.script("get-token", """
            printf '%s\\n' "$@" > '\(dir)/args'
            printf '%s %s' "$REGION" "$INHERITED" > '\(dir)/env'
            if [ -t 0 ]; then echo tty > '\(dir)/stdin'; else echo none > '\(dir)/stdin'; fi
            \(printsRunToken())
            """)
        let file = plugins.dir.write("config", execKubeconfig(exec: """
            apiVersion: client.authentication.k8s.io/v1
            command: get-token
            args: ["--name", "two words", "--count=2"]
            env: [{name: REGION, value: eu-north-1}]
            interactiveMode: Never
            """))
        // A bare command is found in the PATH hourly-image runs with.
        let connection = try KubeConfig.fromFiles([file], environment: ["PATH": "/usr/bin:/bin:" + dir, "INHERITED": "from-parent"])
        let source = try #require(connection.token)
        #expect(try await onOwnThread { try source.credential() }.token == "tok-1")
        #expect(plugins.read("args") == "--name\ntwo words\n--count=2\n")
        #expect(plugins.read("env") == "eu-north-1 from-parent")
        #expect(plugins.read("stdin") == "none\n")
    }

    @Test("provideClusterInfo: KUBERNETES_EXEC_INFO carries the cluster and its exec extension as config")
    func clusterInfo() async throws {
        let plugins = PluginDir()
        plugins.script("plugin", "printf '%s' \"$KUBERNETES_EXEC_INFO\" > '\(plugins.path)/info'\n" + printsRunToken())
        let ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        let file = plugins.dir.write("config", execKubeconfig(server: "https://k8s.example:6443", cluster: """
            certificate-authority-data: \(Data(ca.utf8).base64EncodedString())
            tls-server-name: api.internal
            proxy-url: http://proxy.example:3128
            extensions:
            - name: other.example/thing
              extension: {ignored: true}
            - name: client.authentication.k8s.io/exec
              extension:
                audience: hourly-image
                retries: 3
            """, exec: """
            apiVersion: client.authentication.k8s.io/v1
            command: ./plugin
            interactiveMode: Never
            provideClusterInfo: true
            """))
        let source = try #require(try KubeConfig.fromFiles([file]).token)
        _ = try await onOwnThread { try source.credential() }
        let info = try #require(plugins.read("info"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(info.utf8)) as? [String: Any])
        let spec = try #require(object["spec"] as? [String: Any])
        #expect(spec["interactive"] as? Bool == false)
        let cluster = try #require(spec["cluster"] as? [String: Any])
        #expect(cluster["server"] as? String == "https://k8s.example:6443")
        #expect(cluster["certificate-authority-data"] as? String == Data(ca.utf8).base64EncodedString())
        #expect(cluster["tls-server-name"] as? String == "api.internal")
        #expect(cluster["proxy-url"] as? String == "http://proxy.example:3128")
        #expect(cluster["insecure-skip-tls-verify"] == nil, "false is left out, as client-go does")
        let config = try #require(cluster["config"] as? [String: Any])
        #expect(config["audience"] as? String == "hourly-image")
        #expect(config["retries"] as? Int == 3)
        #expect(config["ignored"] == nil)
    }

    // MARK: caching and renewal

    @Test("a credential is cached until its expirationTimestamp (an injected clock), then the plugin runs again")
    func cachedUntilExpiry() async throws {
        let plugins = PluginDir()
        let script = plugins.script("plugin", printsRunToken(expiration: "2030-01-01T00:00:00Z"))
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))  // 2027
        let plugin = ExecCredentialPlugin(config: execConfig(script), now: { clock.now })
        let first = try await onOwnThread { try plugin.credential() }
        #expect(first.expiration == Date(timeIntervalSince1970: 1_893_456_000))
        #expect(try await onOwnThread { try plugin.credential() }.token == "tok-1")
        #expect(plugins.runs("plugin") == 1)
        clock.set(Date(timeIntervalSince1970: 1_893_456_000))  // the expiry itself counts as expired
        #expect(try await onOwnThread { try plugin.credential() }.token == "tok-2")
        #expect(plugins.runs("plugin") == 2)
        #expect(plugin.runs == 2)
    }

    @Test("an expirationTimestamp in the past makes every request run the plugin; fractional seconds parse")
    func alreadyExpired() async throws {
        let plugins = PluginDir()
        let script = plugins.script("plugin", printsRunToken(.v1beta1, expiration: "2020-05-01T10:00:00.250Z"))
        let plugin = ExecCredentialPlugin(config: execConfig(script, .v1beta1))
        #expect(try await onOwnThread { try plugin.credential() }.token == "tok-1")
        #expect(try await onOwnThread { try plugin.credential() }.token == "tok-2")
        #expect(plugins.runs("plugin") == 2)
    }

    @Test("a refresh after a 401 re-runs the plugin once; a refresh for an already replaced credential does not")
    func refreshAfterUnauthorized() async throws {
        let plugins = PluginDir()
        let plugin = ExecCredentialPlugin(config: execConfig(plugins.script("plugin", printsRunToken())))
        let first = try await onOwnThread { try plugin.credential() }
        let second = try await onOwnThread { try plugin.refresh(after: first) }
        #expect(second.token == "tok-2")
        let stale = try await onOwnThread { try plugin.refresh(after: first) }  // a second request refused with the first token
        #expect(stale.token == "tok-2")
        #expect(plugins.runs("plugin") == 2)
    }

    @Test("callers that arrive while the plugin runs share that run")
    func concurrentCallersShareOneRun() async throws {
        let plugins = PluginDir()
        let plugin = ExecCredentialPlugin(config: execConfig(plugins.script("plugin", "sleep 0.3\n" + printsRunToken())))
        let tokens = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<5 { group.addTask { try await onOwnThread { try plugin.credential() }.token } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(tokens == Array(repeating: "tok-1", count: 5))
        #expect(plugins.runs("plugin") == 1)
    }

    @Test("a failing run is shared by the callers waiting for it, and the next call tries again")
    func failureShared() async throws {
        let plugins = PluginDir()
        let plugin = ExecCredentialPlugin(config: execConfig(plugins.script("plugin", "sleep 0.3\necho nope >&2\nexit 1")))
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 { group.addTask { (try? await onOwnThread { try plugin.credential() }) == nil } }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == 4)
        #expect(plugins.runs("plugin") == 1)
        _ = try? await onOwnThread { try plugin.credential() }
        #expect(plugins.runs("plugin") == 2, "a failure is not cached")
    }
}
