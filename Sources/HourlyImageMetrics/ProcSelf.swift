#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `/proc/self` says about this process, read with bounded buffers (Linux only; nil fields elsewhere).
struct ProcSelf: Equatable {
    /// User plus system CPU time, in seconds.
    var cpuSeconds: Double?
    /// Resident set size, in bytes.
    var residentBytes: Double?
    /// Virtual memory size, in bytes.
    var virtualBytes: Double?
    /// Start time since the Unix epoch, in seconds.
    var startTimeSeconds: Double?
    /// Open file descriptors.
    var openFDs: Double?
    /// The soft limit on open file descriptors.
    var maxFDs: Double?

    /// Reads the current values.
    static func current() -> ProcSelf {
        var result = ProcSelf()
        #if os(Linux)
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = readFile("/proc/self/stat", limit: 4096), let fields = Self.statFields(stat), ticks > 0 {
            result.cpuSeconds = (fields.utime + fields.stime) / ticks
            result.virtualBytes = fields.vsize
            result.residentBytes = fields.rssPages * pageSize
            if let boot = readFile("/proc/stat", limit: 1 << 20).flatMap(Self.bootTime) {
                result.startTimeSeconds = boot + fields.startTicks / ticks
            }
        }
        result.openFDs = countOpenFDs(limit: 1 << 20)
        #endif
        var limit = rlimit()
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        if getrlimit(resource, &limit) == 0 { result.maxFDs = Double(limit.rlim_cur) }
        return result
    }

    /// The fields of `/proc/<pid>/stat` that matter here, counted after the `)` that ends the command name
    /// (which may itself hold spaces and parentheses).
    static func statFields(_ text: String) -> (utime: Double, stime: Double, startTicks: Double, vsize: Double, rssPages: Double)? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        // After ")": field 3 (state) is index 0, so field N is index N - 3.
        let rest = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        func field(_ n: Int) -> Double? { n - 3 < rest.count ? Double(rest[n - 3]) : nil }
        guard let utime = field(14), let stime = field(15), let start = field(22), let vsize = field(23), let rss = field(24) else { return nil }
        return (utime, stime, start, vsize, rss)
    }

    /// `btime` from `/proc/stat`: boot time in seconds since the epoch.
    static func bootTime(_ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefix(" "))
        }
        return nil
    }

    /// At most `limit` bytes of a file (procfs files report size 0, so read until EOF).
    static func readFile(_ path: String, limit: Int) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, limit - bytes.count)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    #if os(Linux)
    /// Entries in `/proc/self/fd`, minus the one this count opens, stopping at `limit`.
    static func countOpenFDs(limit: Int) -> Double? {
        guard let dir = opendir("/proc/self/fd") else { return nil }
        defer { closedir(dir) }
        var count = 0
        // The name is read in place, never as `entry.pointee.d_name`: that copies all 256 bytes of the field, and
        // readdir's records are only as long as their names, so the copy can run off the end of its buffer into an
        // unmapped page (the crash swiftlang/swift-corelibs-foundation#5472 fixed in Foundation's Process).
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
        while count < limit, let entry = readdir(dir) {
            let name = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: UInt8.self)
            let dots = name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            if !dots { count += 1 }
        }
        return Double(max(0, count - 1))
    }
    #endif
}
