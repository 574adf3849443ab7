import Foundation
import Testing

/// The README and docs/ are read in a clone that has nothing beside it: every relative link names a file in the
/// repository, and none reaches outside it (no `../shared`, no `docs/cluster.md` that does not exist).
@Suite("Documentation links")
struct DocumentationLinkTests {
    static var documents: [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: root + "/docs")) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
    }

    @Test("every relative link in the README and docs/ names a file in the repository", arguments: documents)
    func relativeLinksResolve(document: String) throws {
        let text = try String(contentsOfFile: root + "/" + document, encoding: .utf8)
        let directory = (document as NSString).deletingLastPathComponent
        let pattern = try NSRegularExpression(pattern: #"\]\(([^)\s#]+)(#[^)]*)?\)"#)
        let targets = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
        for target in targets where !target.contains("://") && !target.hasPrefix("mailto:") {
            let path = ((root + "/" + directory) as NSString).appendingPathComponent(target)
            let standardized = (path as NSString).standardizingPath
            #expect(standardized.hasPrefix(root + "/"), "\(document) links outside the repository: \(target)")
            #expect(FileManager.default.fileExists(atPath: standardized), "\(document) links a missing file: \(target)")
        }
        #expect(!text.contains("../shared"), "\(document) points into ../shared, which a clone does not have")
    }
}
