// Publishes random blobs in a loop until killed, so tests can SIGKILL it mid-write and check
// that no partial blob is ever visible. Usage: BlobCrashDriver <root> <namespace> <name>
import BlobStore
import Crypto
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: BlobCrashDriver <root> <namespace> <name>\n".utf8))
    exit(2)
}
let store = BlobStore(root: arguments[1])
var generator = SystemRandomNumberGenerator()
// One pool of random bytes, sliced per blob, so the loop spends its time publishing.
let pool = [UInt8](FileHandle(forReadingAtPath: "/dev/urandom")!.readData(ofLength: 1 << 20))
FileHandle.standardOutput.write(Data("ready\n".utf8))
while true {
    let size = Int.random(in: 1...(256 * 1024), using: &generator)
    let start = Int.random(in: 0...(pool.count - size), using: &generator)
    let bytes = Array(pool[start..<(start + size)])
    do {
        let temporary = try store.makeTemporaryFile(namespace: arguments[2], name: arguments[3])
        var hasher = SHA256()
        var offset = 0
        while offset < size {  // write in chunks, as a download does
            let end = min(offset + 8192, size)
            try temporary.write(Data(bytes[offset..<end]))
            hasher.update(data: bytes[offset..<end])
            offset = end
        }
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        _ = try store.publish(temporary, sha256: sha, fileExtension: "bin")
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
}
