import Foundation
import Testing

@testable import SystemSupport

@Suite("One atomic file writer")
struct AtomicWriterTests {
    let dir: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-atomic-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func entries() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    @Test("nothing is visible at the final path until commit; then exactly the bytes written, and no temporary file")
    func commit() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try AtomicWriter(directory: dir, prefix: ".tmp-")
        try writer.write(Data("hello ".utf8))
        try writer.write(Data("world".utf8))
        #expect(writer.bytesWritten == 11)
        #expect(!FileManager.default.fileExists(atPath: dir + "/final"))
        #expect(entries().count == 1 && entries()[0].hasPrefix(".tmp-"))
        try writer.commit(to: dir + "/final")
        #expect(FileManager.default.contents(atPath: dir + "/final") == Data("hello world".utf8))
        #expect(entries() == ["final"])
        writer.discard()
        #expect(entries() == ["final"], "discard after commit leaves the committed file alone")
    }

    @Test("discard, a failed rename and a released writer leave no temporary file; writes after sync are refused")
    func failures() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dropped = try AtomicWriter(directory: dir, prefix: ".tmp-")
        try dropped.write(Data("x".utf8))
        dropped.discard()
        #expect(entries().isEmpty)
        let misplaced = try AtomicWriter(directory: dir, prefix: ".tmp-")
        #expect(throws: AtomicWriter.Failure.self) { try misplaced.commit(to: dir + "/no/such/dir/file") }
        #expect(entries().isEmpty)
        do { _ = try AtomicWriter(directory: dir, prefix: ".tmp-") }
        #expect(entries().isEmpty, "deinit discards")
        let synced = try AtomicWriter(directory: dir, prefix: ".tmp-")
        try synced.sync()
        #expect(throws: AtomicWriter.Failure(operation: "write", path: synced.path, code: EBADF)) { try synced.write(Data("late".utf8)) }
        #expect(throws: AtomicWriter.Failure.self) { _ = try AtomicWriter(directory: dir + "/missing", prefix: ".tmp-") }
    }

    @Test("AtomicFile replaces a file's content whole and reports a failure through errorAs")
    func atomicFile() throws {
        struct Saved: Error { let message: String }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write(Data("one".utf8), to: dir + "/state/a.json") { Saved(message: $0) }
        try AtomicFile.write(Data("two".utf8), to: dir + "/state/a.json") { Saved(message: $0) }
        #expect(FileManager.default.contents(atPath: dir + "/state/a.json") == Data("two".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/state") == ["a.json"])
        try FileManager.default.createDirectory(atPath: dir + "/state/dir.json", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/state/dir.json/keep", withIntermediateDirectories: true)
        #expect(throws: Saved.self) { try AtomicFile.write(Data("x".utf8), to: dir + "/state/dir.json") { Saved(message: $0) } }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/state").sorted() == ["a.json", "dir.json"])
    }
}
