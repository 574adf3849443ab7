import Foundation
import HourlyImageAPI
import Logging

extension ImageFetcher {
    /// The photographer's credit from `{origin}/id/{id}/info`; a failure here never fails the image.
    public func photographer(id: String, sourceURL: String, logger: Logger) async -> (String?, String?) {
        guard var components = URLComponents(string: sourceURL) else { return (nil, nil) }
        components.path = "/id/\(id)/info"
        components.query = nil
        components.fragment = nil
        // fastly.picsum.photos serves images; the info API lives on picsum.photos itself.
        if components.host == "fastly.picsum.photos" { components.host = "picsum.photos" }
        guard let infoURL = components.string else { return (nil, nil) }
        do {
            let data = try await fetchData(infoURL)
            struct Info: Decodable {
                var author: String?
                var url: String?
            }
            let info = try JSONDecoder().decode(Info.self, from: data)
            let link = info.url.flatMap { URL(string: $0) }.flatMap { ["http", "https"].contains($0.scheme ?? "") ? $0.absoluteString : nil }
            return (info.author, link)
        } catch {
            logger.info("no photographer credit", metadata: ["url": "\(Redaction.url(infoURL))", "error": "\(error)"])
            return (nil, nil)
        }
    }
}
