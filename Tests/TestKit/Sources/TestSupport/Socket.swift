import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a test server could not start.
public struct TestHTTPServerError: Error, CustomStringConvertible {
    /// What failed, with the errno text when there is one.
    public let description: String

    init(_ what: String, errno code: Int32? = nil) {
        if let code {
            description = "\(what): \(String(cString: strerror(code)))"
        } else {
            description = what
        }
    }
}

/// Thin wrappers over the POSIX socket calls the test server needs.
enum Socket {
    #if canImport(Glibc)
    private static let streamType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    private static let streamType = SOCK_STREAM
    private static let sendFlags: Int32 = 0
    #endif

    /// Opens a listening socket on `host` (an IPv4 or IPv6 literal, or "localhost") at an ephemeral port.
    static func makeListener(host: String) throws -> (fd: Int32, port: Int, isIPv6: Bool) {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let isIPv6: Bool
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            isIPv6 = false
        } else if inet_pton(AF_INET6, literal, &v6.sin6_addr) == 1 {
            isIPv6 = true
        } else {
            throw TestHTTPServerError("not an IP address literal: \(host)")
        }
        let fd = socket(isIPv6 ? AF_INET6 : AF_INET, streamType, 0)
        guard fd >= 0 else { throw TestHTTPServerError("socket", errno: errno) }
        configure(fd)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if isIPv6 {
            v6.sin6_family = sa_family_t(AF_INET6)
            bound = withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            v4.sin_family = sa_family_t(AF_INET)
            bound = withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw TestHTTPServerError("bind \(host)", errno: code)
        }
        guard listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw TestHTTPServerError("listen", errno: code)
        }
        var storage = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            close(fd)
            throw TestHTTPServerError("getsockname", errno: code)
        }
        // sin_port and sin6_port sit at the same offset, so the IPv6 view reads both.
        return (fd, Int(UInt16(bigEndian: storage.sin6_port)), isIPv6)
    }

    /// Accepts one connection; returns -1 once the listener is shut down or broken.
    static func acceptConnection(_ listener: Int32) -> Int32 {
        while true {
            let fd = accept(listener, nil, nil)
            if fd >= 0 {
                configure(fd)
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: usleep(10_000); continue
            default: return -1
            }
        }
    }

    /// Tweaks for every socket: close-on-exec (tests may spawn processes) and, off Linux, no SIGPIPE.
    private static func configure(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        #if !canImport(Glibc)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    /// Writes all bytes, looping over partial writes; false when the peer is gone (EPIPE, ECONNRESET, ...).
    static func sendAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            guard var pointer = raw.baseAddress else { return true }
            var remaining = raw.count
            while remaining > 0 {
                let sent = send(fd, pointer, remaining, sendFlags)
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                pointer += sent
                remaining -= sent
            }
            return true
        }
    }

    /// Reads what is available (blocking) and appends it; returns the count, 0 at end of stream, -1 on error.
    static func receive(_ fd: Int32, appendingTo buffer: inout [UInt8]) -> Int {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count > 0 { buffer.append(contentsOf: chunk[0..<count]) }
            return count
        }
    }

    /// True when the peer has closed or reset the connection (checked without consuming data).
    static func peerHungUp(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        if count == 0 { return true }
        if count < 0 { return !(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) }
        return false
    }

    /// Ends our side of the connection, then waits briefly for the peer to close so closing with unread input causes no reset.
    static func finishWriting(_ fd: Int32, linger: Double = 0.5) {
        shutdown(fd, Int32(SHUT_WR))
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = ContinuousClock.now + .seconds(linger)
        var scratch = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            guard poll(&entry, 1, 50) >= 0 || errno == EINTR else { break }
            guard entry.revents != 0 else { continue }
            let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { break }
        }
    }
}

extension Socket {
    /// Connects to `host` (an IP literal or a name such as localhost) and `port`; send and receive time out after `timeout` seconds.
    static func connect(host: String, port: Int, timeout: Double) throws -> Int32 {
        var hints = addrinfo()
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let looked = getaddrinfo(host, String(port), &hints, &list)
        guard looked == 0, let list else { throw TestHTTPServerError("cannot resolve \(host): \(String(cString: gai_strerror(looked)))") }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, streamType, 0)
            guard fd >= 0 else { lastError = errno; continue }
            configure(fd)
            var limit = timeval()
            limit.tv_sec = .init(timeout)
            limit.tv_usec = .init((timeout - Double(Int(timeout))) * 1_000_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var result: Int32
            repeat { result = systemConnect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) } while result != 0 && errno == EINTR
            if result == 0 { return fd }
            lastError = errno
            close(fd)
        }
        throw TestHTTPServerError("connect to \(host):\(port)", errno: lastError)
    }
}

#if canImport(Glibc)
private let systemConnect = Glibc.connect
#elseif canImport(Darwin)
private let systemConnect = Darwin.connect
#endif
