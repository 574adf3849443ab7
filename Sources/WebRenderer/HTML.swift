/// HTML escaping: everything the page prints from a resource goes through here.
enum HTML {
    /// Escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A link target that is safe to print: only http and https URLs, escaped; nil otherwise.
    static func safeURL(_ text: String?) -> String? {
        guard let text, let lower = Optional(text.lowercased()), lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            return nil
        }
        return escape(text)
    }

    /// Escapes one path segment for use in a URL.
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? ""
    }
}

import Foundation
