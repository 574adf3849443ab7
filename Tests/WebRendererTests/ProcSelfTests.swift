import Foundation
import Testing

@testable import HourlyImageMetrics

@Suite("Reading /proc/self")
struct ProcSelfTests {
    @Test("stat fields are counted after the last ')', so a command name with spaces and parentheses does not shift them")
    func statWithAwkwardName() throws {
        let line = "4242 (a b) (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 12345 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0"
        let fields = try #require(ProcSelf.statFields(line))
        #expect(fields.utime == 250 && fields.stime == 50)
        #expect(fields.startTicks == 12345)
        #expect(fields.vsize == 104_857_600 && fields.rssPages == 2560)
        #expect(ProcSelf.statFields("4242 (truncated") == nil)
        #expect(ProcSelf.statFields("4242 (x) S 1 2") == nil)
    }

    @Test("btime is read from /proc/stat")
    func bootTime() {
        #expect(ProcSelf.bootTime("cpu  1 2 3\nbtime 1700000000\nprocesses 5\n") == 1_700_000_000)
        #expect(ProcSelf.bootTime("cpu 1\n") == nil)
    }

    #if os(Linux)
    @Test("this process's values are plausible")
    func live() {
        let now = ProcSelf.current()
        #expect((now.residentBytes ?? 0) > 0)
        #expect((now.virtualBytes ?? 0) >= (now.residentBytes ?? 0))
        #expect((now.openFDs ?? 0) >= 3)
        #expect((now.maxFDs ?? 0) >= (now.openFDs ?? 0))
        #expect((now.startTimeSeconds ?? 0) > 1_600_000_000)
        #expect((now.cpuSeconds ?? -1) >= 0)
    }

    @Test("open descriptors are counted from /proc/self/fd without copying whole directory entries, thousands at a time")
    func openDescriptors() throws {
        // Many entries fill readdir's buffer, so some end right at its edge: where copying the 256-byte d_name
        // read past it. Others may open descriptors meanwhile (tests run in parallel), so only bounds are checked.
        let extra = (0..<1500).map { _ in open("/dev/null", O_RDONLY) }
        defer { for fd in extra where fd >= 0 { close(fd) } }
        #expect(extra.allSatisfy { $0 >= 0 })
        for _ in 0..<20 {
            let count = try #require(ProcSelf.countOpenFDs(limit: 1 << 20))
            #expect(count >= 1500)
        }
        #expect(ProcSelf.countOpenFDs(limit: 10) == 9, "stops at the limit (minus its own descriptor)")
    }
    #endif
}
