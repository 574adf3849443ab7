import Crypto
import Foundation
import Testing

@testable import BlobStore

func sha256Hex<D: DataProtocol>(_ data: D) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

/// Writes `data` through a temporary file and publishes it, as a fetch does.
func store(_ data: Data, in store: BlobStore, namespace: String = "default", name: String = "img", ext: String = "jpg") throws -> String {
    let temporary = try store.makeTemporaryFile(namespace: namespace, name: name)
    try temporary.write(data)
    return try store.publish(temporary, sha256: sha256Hex(data), fileExtension: ext)
}

@Suite("Blob store")
struct BlobStoreTests {
    @Test("publishes under <ns>/<name>/blobs/<sha256>.<ext> with the exact bytes")
    func publishLayout() throws {
        let dir = TestDirectory()
        let blobs = BlobStore(root: dir.path)
        let data = Data("hello image".utf8)
        let relative = try store(data, in: blobs)
        #expect(relative == "default/img/blobs/\(sha256Hex(data)).jpg")
        #expect(try blobs.read(relative) == data)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/default/img/blobs") == ["\(sha256Hex(data)).jpg"])
    }

    @Test("a temporary file is invisible to listing until published, and discard removes it")
    func temporaryInvisible() throws {
        let dir = TestDirectory()
        let blobs = BlobStore(root: dir.path)
        let temporary = try blobs.makeTemporaryFile(namespace: "ns", name: "a")
        try temporary.write(Data(repeating: 7, count: 1000))
        #expect(try blobs.list(namespace: "ns", name: "a").isEmpty)
        temporary.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs.directory(namespace: "ns", name: "a")).isEmpty)
    }

    @Test("identical content is stored once")
    func dedupe() throws {
        let dir = TestDirectory()
        let blobs = BlobStore(root: dir.path)
        let data = Data(repeating: 1, count: 4096)
        let first = try store(data, in: blobs)
        let second = try store(data, in: blobs)
        #expect(first == second)
        #expect(try blobs.list(namespace: "default", name: "img").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs.directory(namespace: "default", name: "img")).count == 1)
    }

    @Test("list reports sizes and names; remove deletes only what it names")
    func listAndRemove() throws {
        let dir = TestDirectory()
        let blobs = BlobStore(root: dir.path)
        let a = try store(Data("a".utf8), in: blobs)
        let b = try store(Data("bb".utf8), in: blobs, ext: "png")
        FileManager.default.createFile(atPath: blobs.directory(namespace: "default", name: "img") + "/notes.txt", contents: Data())
        let listed = try blobs.list(namespace: "default", name: "img")
        #expect(Set(listed.map(\.relativePath)) == [a, b])
        #expect(listed.first { $0.relativePath == b }?.bytes == 2)
        try blobs.remove([a, "default/img/blobs/\(String(repeating: "0", count: 64)).jpg"])
        #expect(try blobs.list(namespace: "default", name: "img").map(\.relativePath) == [b])
        #expect(try blobs.list(namespace: "default", name: "never").isEmpty)
    }

    @Test("removeAll deletes the resource's directory and nothing beside it")
    func removeAll() throws {
        let dir = TestDirectory()
        let blobs = BlobStore(root: dir.path)
        _ = try store(Data("x".utf8), in: blobs, name: "gone")
        let kept = try store(Data("y".utf8), in: blobs, name: "kept")
        try blobs.removeAll(namespace: "default", name: "gone")
        try blobs.removeAll(namespace: "default", name: "gone")  // idempotent
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/default/gone"))
        #expect(try blobs.read(kept) == Data("y".utf8))
    }

    @Test("start-up sweep removes stale temporary files and keeps blobs")
    func sweep() throws {
        let dir = TestDirectory()
        let blobs = BlobStore(root: dir.path)
        let kept = try store(Data("keep".utf8), in: blobs)
        for i in 0..<3 {
            // What a crash mid-write leaves: a temporary file nobody discarded.
            let path = blobs.directory(namespace: "default", name: "img") + "/" + BlobStore.temporaryPrefix + "crashed-\(i)"
            #expect(FileManager.default.createFile(atPath: path, contents: Data("partial".utf8)))
        }
        #expect(blobs.sweepTemporaryFiles() == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs.directory(namespace: "default", name: "img")) == [(kept as NSString).lastPathComponent])
    }

    @Test("blob names are 64 lowercase hex digits and a short extension", arguments: [
        (String(repeating: "a", count: 64) + ".jpg", true), (String(repeating: "A", count: 64) + ".jpg", false),
        (String(repeating: "a", count: 63) + ".jpg", false), (".tmp-123", false), (String(repeating: "a", count: 64), false),
        (String(repeating: "a", count: 64) + ".j.pg", false), (String(repeating: "0", count: 63) + "g.jpg", false),
        (String(repeating: "f", count: 64) + ".webp", true), (String(repeating: "9", count: 64) + ".12345678", true),
        (String(repeating: "9", count: 64) + ".123456789", false), (String(repeating: "a", count: 64) + ".", false),
        (String(repeating: "a", count: 64) + ".jpé", false), (String(repeating: "a", count: 64) + ".jp/g", false),
        (String(repeating: "a", count: 62) + "é.jpg", false), ("", false),
    ])
    func blobNames(name: String, valid: Bool) {
        #expect(BlobStore.isBlobName(name) == valid)
    }
}

@Suite("Blob read side")
struct BlobPathTests {
    @Test("paths that escape the root are refused", arguments: [
        "../secret", "/etc/passwd", "default/../../etc/passwd", "default//img", "./default/img", "", "default/img/blobs/..",
    ])
    func refusesEscapes(path: String) throws {
        let dir = TestDirectory()
        #expect(throws: BlobPathError.self) { try BlobStore(root: dir.path).read(path) }
    }

    @Test("a symlink pointing out of the root is refused; one inside is followed")
    func symlinks() throws {
        let dir = TestDirectory()
        let outside = TestDirectory()
        let blobs = BlobStore(root: dir.path)
        let relative = try store(Data("inside".utf8), in: blobs)
        FileManager.default.createFile(atPath: outside.path + "/secret", contents: Data("secret".utf8))
        let blobDir = blobs.directory(namespace: "default", name: "img")
        try FileManager.default.createSymbolicLink(atPath: blobDir + "/evil.jpg", withDestinationPath: outside.path + "/secret")
        try FileManager.default.createSymbolicLink(atPath: blobDir + "/alias.jpg", withDestinationPath: dir.path + "/" + relative)
        #expect(throws: BlobPathError.escapesRoot("default/img/blobs/evil.jpg")) { try blobs.read("default/img/blobs/evil.jpg") }
        #expect(try blobs.read("default/img/blobs/alias.jpg") == Data("inside".utf8))
        #expect(throws: BlobPathError.notFound("default/img/blobs/none.jpg")) { try blobs.read("default/img/blobs/none.jpg") }
        let opened = try blobs.openForReading(relative)
        defer { close(opened.descriptor) }
        #expect(opened.bytes == 6)
    }
}
