import Foundation
import HourlyImageAPI
import HourlyImageCore

/// The page for one HourlyImage: the image, when it was fetched and expires, grace state,
/// credit and condition badges; a waiting or error state when there is no image yet.
///
/// Only the refresh tag depends on the time within a phase (fresh, expired, no image yet); the rest of the page,
/// `document`, depends on the resource and the phase alone, so the web renders it once per change (`PageCache`).
enum ImagePage {
    /// Everything before the refresh tag, the same on every page.
    static let head = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">

        """

    /// The HTML of the page, and the seconds after which it should reload itself (nil: never).
    static func render(_ resource: HourlyImage, now: Date) -> (html: String, reloadAfter: Int?) {
        let reload = reloadAfter(resource, now: now)
        return (head + refreshTag(reload) + document(resource, expired: isExpired(resource, now: now)), reload)
    }

    /// Whether the current image has expired at `now` (false without one): the phase the page is rendered for, as
    /// the core judges a view.
    static func isExpired(_ resource: HourlyImage, now: Date) -> Bool {
        Lifecycle.pageView(resource, now: Timestamp(now)) != .fresh
    }

    /// When the page should reload itself: at expiry while fresh, soon while waiting or when the next image is due.
    static func reloadAfter(_ resource: HourlyImage, now: Date) -> Int? {
        guard let current = resource.status?.current else { return 5 }
        guard let expiresAt = current.expiresAt else { return nil }
        if now < expiresAt.date {
            return max(1, Int(expiresAt.date.timeIntervalSince(now).rounded(.up).clampedWholeSeconds.saturatingSuccessor))
        }
        guard let status = resource.status, Lifecycle.graceUsedUp(status, graceCount: resource.spec.graceCount) else { return nil }
        return 10  // the next image is due: look again soon
    }

    /// The refresh tag for `seconds` (empty for nil), ending its line: a meta refresh for browsers without scripts,
    /// and the delay the live page's script falls back to when its event stream is unavailable.
    static func refreshTag(_ seconds: Int?) -> String {
        seconds.map { "<noscript><meta http-equiv=\"refresh\" content=\"\($0)\"></noscript><meta name=\"reload-after\" content=\"\($0)\">\n" } ?? "\n"
    }

    /// The path of a resource's page (`/images/{ns}/{name}`).
    static func pagePath(_ resource: HourlyImage) -> String {
        "/images/\(HTML.pathSegment(resource.metadata.namespaceOrDefault))/\(HTML.pathSegment(resource.metadata.name))"
    }

    /// The path of a resource's event stream (`/images/{ns}/{name}/events`).
    static func eventsURL(_ resource: HourlyImage) -> String { pagePath(resource) + "/events" }

    /// The page's title.
    static func title(_ resource: HourlyImage) -> String { "\(resource.metadata.name) · hourly-image" }

    /// The page after the refresh tag, for the phase `expired`.
    static func document(_ resource: HourlyImage, expired: Bool) -> String {
        """
            <title>\(HTML.escape(title(resource)))</title>
            <style>\(PageStyle.css)</style>
            </head>
            <body>
            <header><h1>\(HTML.escape(resource.metadata.name))</h1><a href="\(pagePath(resource))/history">history</a><a href="/images">all images</a></header>
            <main id="live" data-events="\(eventsURL(resource))">
            \(content(resource, expired: expired))
            </main>
            <script>\(PageStyle.countdownScript)</script>
            <script>\(PageStyle.liveScript)</script>
            </body>
            </html>
            """
    }

    /// What `<main>` holds: the image card (or the waiting card) and the footer; the live page replaces it with each event.
    static func content(_ resource: HourlyImage, expired: Bool) -> String {
        let key = "\(resource.metadata.namespaceOrDefault)/\(resource.metadata.name)"
        let status = resource.status
        let body: String
        if let current = status?.current {
            body = """
                <div class="card layout">
                  <figure><img src="\(imageURL(resource, current))" alt="\(HTML.escape(altText(current)))"></figure>
                  <section class="details">\(badges(status))\(details(resource, current, expired: expired))</section>
                </div>
                """
        } else {
            body = """
                <div class="card empty">\(badges(status))\(waiting(resource))</div>
                """
        }
        return """
            \(body)
            <footer>\(HTML.escape(key)) · source \(link(resource.spec.url)) · ttl \(HTML.escape(resource.spec.ttl)) · grace views \(resource.spec.graceCount)</footer>
            """
    }

    /// The content-addressed URL of an image: `/images/{ns}/{name}/{sha256}.{ext}`.
    static func imageURL(_ resource: HourlyImage, _ image: ImageRecord) -> String {
        let file = (image.file as NSString).lastPathComponent
        return "/images/\(HTML.pathSegment(resource.metadata.namespaceOrDefault))/\(HTML.pathSegment(resource.metadata.name))/\(HTML.pathSegment(file))"
    }

    static func altText(_ image: ImageRecord) -> String {
        var text = image.picsumID.map { "Lorem Picsum photo \($0)" } ?? "The current image"
        if let author = image.author { text += " by \(author)" }
        return text
    }

    private static func details(_ resource: HourlyImage, _ current: ImageRecord, expired: Bool) -> String {
        var rows: [(String, String)] = []
        rows.append(("Fetched", time(current.fetchedAt)))
        if let expiresAt = current.expiresAt {
            if !expired {
                rows.append(("Expires", "\(time(expiresAt)) · <span class=\"countdown\" data-expires=\"\(expiresAt.secondsSince1970)\"></span>"))
            } else {
                let used = resource.status?.graceViews ?? 0
                let allowed = resource.spec.graceCount
                rows.append(("Expired", time(expiresAt)))
                rows.append(("Grace", "expired — \(min(used, allowed)) of \(allowed) grace view\(allowed == 1 ? "" : "s") used"))
            }
        }
        if let id = current.picsumID { rows.append(("Picsum id", HTML.escape(id))) }
        if let author = current.author {
            let name = HTML.escape(author)
            rows.append(("Photo", HTML.safeURL(current.authorURL).map { "<a href=\"\($0)\" rel=\"noopener\">\(name)</a>" } ?? name))
        }
        if let source = current.sourceURL { rows.append(("Source", link(source))) }
        rows.append(("Size", "\(current.bytes.formatted()) bytes · \(HTML.escape(current.contentType))"))
        let list = rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined()
        return "<dl>\(list)</dl>"
    }

    private static func waiting(_ resource: HourlyImage) -> String {
        let conditions = resource.status?.conditions ?? []
        if let degraded = conditions[type: "Degraded"], degraded.status == .true {
            return """
                <h2 class="bad">No image yet: \(HTML.escape(degraded.reason))</h2>
                <p>\(HTML.escape(degraded.message))</p>
                <p class="muted">Retrying automatically; this page updates itself.</p>
                """
        }
        return """
            <h2>Waiting for the first image…</h2>
            <p class="muted">Fetching from \(link(resource.spec.url)). This page updates itself.</p>
            """
    }

    private static func badges(_ status: HourlyImageStatus?) -> String {
        let conditions = status?.conditions ?? []
        guard !conditions.isEmpty else { return "" }
        let items = ["Ready", "Fresh", "Degraded"].compactMap { type -> String? in
            guard let c = conditions[type: type] else { return nil }
            let good = (type == "Degraded") ? c.status == .false : c.status == .true
            let tone = good ? "ok" : (type == "Fresh" ? "warn" : "bad")
            return "<span class=\"badge \(tone)\" title=\"\(HTML.escape(c.message))\">\(type): \(HTML.escape(c.reason))</span>"
        }
        return "<div class=\"badges\">\(items.joined())</div>"
    }

    static func time(_ t: Timestamp) -> String {
        "<time datetime=\"\(t.rfc3339)\" data-time=\"\(t.secondsSince1970)\">\(t.rfc3339)</time>"
    }

    /// A link to a source URL, shown and linked without its userinfo and query values (the page is public).
    static func link(_ url: String) -> String {
        let shown = Redaction.url(url)
        let text = HTML.escape(shown)
        return HTML.safeURL(shown).map { "<a href=\"\($0)\" rel=\"noopener\">\(text)</a>" } ?? text
    }
}
