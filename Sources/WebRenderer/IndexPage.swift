import Foundation
import HourlyImageAPI

/// The index of every HourlyImage the renderer knows.
enum IndexPage {
    /// The HTML of the index.
    static func render(_ resources: [HourlyImage]) -> String {
        let rows = resources.map { r -> String in
            let ns = r.metadata.namespaceOrDefault
            let page = "/images/\(HTML.pathSegment(ns))/\(HTML.pathSegment(r.metadata.name))"
            let thumb = r.status?.current.map { "<img src=\"\(ImagePage.imageURL(r, $0))\" alt=\"\">" } ?? ""
            let ready = r.status?.conditions?[type: "Ready"]
            let state = ready.map { "<span class=\"badge \($0.status == .true ? "ok" : "bad")\">\(HTML.escape($0.reason))</span>" } ?? "<span class=\"muted\">pending</span>"
            return "<tr><td>\(thumb)</td><td><a href=\"\(page)\">\(HTML.escape(ns))/\(HTML.escape(r.metadata.name))</a></td><td>\(state)</td><td>\(HTML.escape(r.spec.ttl))</td></tr>"
        }
        let table = rows.isEmpty
            ? "<div class=\"card empty\"><h2>No HourlyImages yet</h2><p class=\"muted\">Apply one with kubectl, or pass -f to standalone mode.</p></div>"
            : "<div class=\"card\"><table><thead><tr><th></th><th>Name</th><th>Ready</th><th>TTL</th></tr></thead><tbody>\(rows.joined())</tbody></table></div>"
        return """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>hourly-image</title><style>\(PageStyle.css)</style></head>
            <body><header><h1>hourly-image</h1></header><main>\(table)</main></body>
            </html>
            """
    }
}
