import Foundation
import HourlyImageAPI
import HourlyImageCore

/// `/images/{ns}/{name}/history`: the images a resource served that are still on the volume, newest first, as a grid
/// (one column on a phone), each with its photographer and when it was fetched and served.
enum HistoryPage {
    /// The HTML of the page; `onVolume` says whether an entry's file is still there.
    static func render(_ resource: HourlyImage, history: ImageHistory?, onVolume: (String) -> Bool) -> String {
        var entries = history?.entries ?? []
        // A history written before this image (or none yet): the status names the current one.
        if let current = resource.status?.current, entries.first?.sha256 != current.sha256 {
            entries.insert(ImageHistory.Entry(current, since: current.servedSince ?? current.fetchedAt), at: 0)
        }
        let shown = entries.filter { onVolume($0.file) }
        let page = ImagePage.pagePath(resource)
        let cards = shown.enumerated().map { index, entry in card(entry, page: page, current: index == 0 && entry.servedUntil == nil) }
        let grid = cards.isEmpty
            ? "<div class=\"card empty\"><h2>No images yet</h2><p class=\"muted\">The first one appears here once it is fetched.</p></div>"
            : "<ol class=\"history\">\(cards.joined())</ol>"
        let kept = "the last \(resource.spec.keep) image\(resource.spec.keep == 1 ? "" : "s") are kept on the volume"
        return """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(resource.metadata.name)) history · hourly-image</title><style>\(PageStyle.css)\(css)</style></head>
            <body>
            <header><h1>\(HTML.escape(resource.metadata.name)): history</h1><a href="\(page)">the page</a><a href="/images">all images</a></header>
            <main>
            \(grid)
            <footer>\(shown.count) image\(shown.count == 1 ? "" : "s") on the volume, newest first; \(kept).</footer>
            </main>
            <script>\(PageStyle.countdownScript)</script>
            </body>
            </html>
            """
    }

    private static func card(_ entry: ImageHistory.Entry, page: String, current: Bool) -> String {
        let file = HTML.pathSegment((entry.file as NSString).lastPathComponent)
        var credit = entry.picsumID.map { "Lorem Picsum \(HTML.escape($0))" } ?? "image \(HTML.escape(String(entry.sha256.prefix(12))))"
        if let author = entry.author {
            let name = HTML.escape(author)
            credit += " · " + (HTML.safeURL(entry.authorURL).map { "<a href=\"\($0)\" rel=\"noopener\">\(name)</a>" } ?? name)
        }
        let served = entry.servedUntil.map { "\(ImagePage.time(entry.servedSince)) – \(ImagePage.time($0))" }
            ?? "since \(ImagePage.time(entry.servedSince))"
        let alt = HTML.escape(entry.author.map { "Photo by \($0)" } ?? "A served image")
        return """
            <li class="card"><img src="\(page)/\(file)" alt="\(alt)" loading="lazy">\
            <div class="meta">\(current ? "<span class=\"badge ok\">now</span> " : "")\(credit)\
            <dl><dt>Fetched</dt><dd>\(ImagePage.time(entry.fetchedAt))</dd><dt>Served</dt><dd>\(served)</dd></dl></div></li>
            """
    }

    static let css = """
        .history { list-style: none; margin: 0; padding: 0; display: grid; gap: 14px;
          grid-template-columns: repeat(auto-fill, minmax(min(100%, 280px), 1fr)); }
        .history img { display: block; width: 100%; aspect-ratio: 3 / 2; object-fit: cover; background: #16171b; }
        .history .meta { padding: 12px 14px; font-size: .92rem; }
        .history dl { margin-top: 8px; font-size: .85rem; }
        """
}
