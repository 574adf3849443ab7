/// Which blobs to delete so that at most `keep` remain, newest first.
public enum Pruning {
    /// The blobs to delete: the oldest beyond `keep`, never one named in `protecting`.
    ///
    /// Protected blobs count towards `keep`; when they alone exceed it, they are still kept.
    public static func blobsToDelete(_ blobs: [StoredBlob], keep: Int, protecting: [String?]) -> [String] {
        let protected = Set(protecting.compactMap { $0 })
        let others = blobs.filter { !protected.contains($0.file) }
            .sorted { ($0.modified, $0.file) > ($1.modified, $1.file) }
        let room = max(0, keep - protected.count)
        return others.dropFirst(room).map(\.file).sorted()
    }
}
