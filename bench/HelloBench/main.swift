// The framework's ceiling on this machine: Hummingbird serving fixed bytes from memory, no routing work, no
// middleware. `make bench` runs it beside hourly-image so the report shows how much of a gap is ours.
// Usage: hello-bench <port> <page-file> <image-file>   (GET / is the page, GET /image the image, both from memory)
import Foundation
import Hummingbird

let arguments = CommandLine.arguments
guard arguments.count == 4, let port = Int(arguments[1]),
      let page = FileManager.default.contents(atPath: arguments[2]), let image = FileManager.default.contents(atPath: arguments[3])
else {
    FileHandle.standardError.write(Data("usage: hello-bench <port> <page-file> <image-file>\n".utf8))
    exit(2)
}
let pageBuffer = ByteBuffer(bytes: page)
let imageBuffer = ByteBuffer(bytes: image)
let router = Router()
router.get("/") { _, _ in
    Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: pageBuffer))
}
router.get("/image") { _, _ in
    Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: imageBuffer))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
