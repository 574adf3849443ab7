/// Who is making a request, as the authenticator reports it.
struct UserInfo: Sendable, Hashable {
    var username: String
    var groups: [String]
    var uid = ""

    /// A user with the groups the apiserver's authenticators give it: ServiceAccounts get system:serviceaccounts and
    /// their namespace's group, anonymous gets system:unauthenticated, everyone else system:authenticated, plus `extra`.
    init(username: String, extraGroups: [String] = []) {
        self.username = username
        if username == "system:anonymous" {
            groups = ["system:unauthenticated"]
        } else if username.hasPrefix("system:serviceaccount:"), username.split(separator: ":").count == 4 {
            let namespace = username.split(separator: ":")[2]
            groups = extraGroups + ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", "system:authenticated"]
        } else {
            groups = extraGroups + ["system:authenticated"]
        }
    }

    /// The ServiceAccount's namespace and name, when the user is one.
    var serviceAccount: (namespace: String, name: String)? {
        let parts = username.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" else { return nil }
        return (String(parts[2]), String(parts[3]))
    }
}
