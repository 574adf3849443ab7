import Foundation

/// The mutable routing state of a PicsumLikeServer and the Picsum-like answers.
final class PicsumState: @unchecked Sendable {
    private let lock = NSLock()
    private var baseURL = ""
    private var idList = [237, 1025, 870]
    private var nextIndex = 0
    private var routes: [String: TestHTTPResponse] = [:]
    private var failure: TestHTTPResponse?

    var ids: [Int] {
        get { lock.withLock { idList } }
        set { lock.withLock { idList = newValue; nextIndex = 0 } }
    }

    func setBaseURL(_ url: String) {
        lock.withLock { baseURL = url }
    }

    func setRoute(_ path: String, _ response: TestHTTPResponse) {
        lock.withLock { routes[path] = response }
    }

    func setFailure(_ response: TestHTTPResponse?) {
        lock.withLock { failure = response }
    }

    /// Answers failAll's response, then an extra route, then the Picsum routes, else 404.
    func respond(to request: TestHTTPRequest) -> TestHTTPResponse {
        let (failure, route, base) = lock.withLock {
            (self.failure, routes[request.path] ?? routes[request.target], baseURL)
        }
        if let failure { return failure }
        if let route { return route }
        let query = request.target.firstIndex(of: "?").map { String(request.target[$0...]) } ?? ""
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let isID = parts.count >= 3 && parts[0] == "id" && Int(parts[1]) != nil
        if parts.count <= 2, parts.allSatisfy({ Int($0) != nil }) {
            // /{size} or /{w}/{h}: a random image, i.e. a redirect to the next id.
            guard let (width, height) = Self.size(parts) else { return Self.invalidSize }
            return .redirect(to: "\(base)/id/\(nextID())/\(width)/\(height).jpg\(query)")
        }
        guard isID, parts.count <= 4 else { return Self.notFound }
        let id = parts[1]
        if parts.count == 3, parts[2] == "info" {
            return Self.info(id: id, base: base)
        }
        if parts.count == 4, parts[3].hasSuffix(".jpg") {
            // /id/{id}/{w}/{h}.jpg: the image itself.
            guard Self.size([parts[2], String(parts[3].dropLast(4))]) != nil else { return Self.invalidSize }
            let image = TestImages.jpeg(bytes: 2048, seed: UInt64(bitPattern: Int64(Int(id) ?? 0)))
            return TestHTTPResponse(status: 200, headers: [("Content-Type", "image/jpeg"), ("Picsum-ID", id)], body: image)
        }
        // /id/{id}/{size} or /id/{id}/{w}/{h}: redirect to the .jpg, as Picsum does.
        guard let (width, height) = Self.size(Array(parts[2...])) else { return Self.invalidSize }
        return .redirect(to: "\(base)/id/\(id)/\(width)/\(height).jpg\(query)")
    }

    /// The next id of the cycle.
    private func nextID() -> Int {
        lock.withLock {
            guard !idList.isEmpty else { return 237 }
            let id = idList[nextIndex % idList.count]
            nextIndex += 1
            return id
        }
    }

    /// Width and height from ["{size}"] or ["{w}", "{h}"], each 1...5000 like Picsum.
    private static func size(_ parts: [String]) -> (Int, Int)? {
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count, numbers.allSatisfy({ (1...5000).contains($0) }) else { return nil }
        switch numbers.count {
        case 1: return (numbers[0], numbers[0])
        case 2: return (numbers[0], numbers[1])
        default: return nil
        }
    }

    private static func info(id: String, base: String) -> TestHTTPResponse {
        let json = """
        {"id":"\(id)","author":"Author \(id)","width":1200,"height":1200,\
        "url":"https://unsplash.com/photos/\(id)","download_url":"\(base)/id/\(id)/1200/1200"}
        """
        return .text(json, contentType: "application/json")
    }

    private static let notFound = TestHTTPResponse.text("Not Found\n", status: 404)
    private static let invalidSize = TestHTTPResponse.text("Invalid size\n", status: 400)
}
