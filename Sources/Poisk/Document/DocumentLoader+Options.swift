// What a `DocumentLoader` reads from folders (its options) and what it did (its summary).
//
// For: callers choosing which files of a folder become documents, and reporting what was
// skipped and why. Not for: JSON Lines or files named directly, which the options do not filter
// (see DocumentLoader.swift).

extension DocumentLoader {
    /// Which files of a folder the loader reads. The defaults read what a person would call the
    /// folder's documents and nothing a folder from someone else could use to pull in files from
    /// elsewhere: symbolic links are not followed, hidden and ignored paths are skipped, and files
    /// over 10 MiB are left out. The `poisk` CLI has one flag for each option.
    public struct Options: Sendable, Equatable {
        /// The extensions read by default: plain text, Markdown, reStructuredText, AsciiDoc, Org,
        /// TeX and HTML (tags stripped, entities decoded, `<title>` as the title).
        public static let defaultFileTypes: [String] = ["txt", "md", "markdown", "rst", "adoc", "org", "tex", "html", "htm"]

        /// The default largest file read: 10 MiB (a long book is about 2 MiB of text).
        public static let defaultMaxFileSize = 10 * 1024 * 1024

        /// Follow symbolic links (CLI `--follow`). Default false: a link is skipped and counted.
        ///
        /// When true, a link is followed only when its target (every link in it resolved) lies
        /// inside one of the folders being loaded, and never into a `.git` folder; a link to a
        /// folder already walked (an ancestor, a loop, or a folder the walk reaches by its own
        /// path) is not walked again; a file reached by its own path keeps that id, and a link to
        /// it is skipped, so every file is read once and `followSymlinks` only adds documents.
        public var followSymlinks: Bool

        /// Read entries whose name starts with `.` (CLI `--hidden`). Default false. `.git` is
        /// never read either way.
        public var includeHidden: Bool

        /// Skip what `.gitignore`, `.ignore` and `.poiskignore` files exclude (CLI: `--no-ignore`
        /// turns it off). Default true. Only ignore files inside the folders being loaded are
        /// read: not those of folders above, nor `.git/info/exclude` or git's global excludes file.
        public var respectIgnoreFiles: Bool

        /// The largest file read, in bytes (CLI `--max-file-size`); larger ones are skipped with
        /// a warning. Applies to text files in folders and named directly, not to JSON Lines.
        public var maxFileSize: Int

        /// Patterns choosing the files of a folder (CLI `--glob`, repeatable), with gitignore's
        /// syntax and matched against the path under the folder: `*.rst`, `docs/**/*.md`. When
        /// there are patterns without `!`, a file must match one of them (and `fileTypes` no longer
        /// applies); a file or folder matching a `!pattern` is left out.
        public var globs: [String]

        /// The extensions read when `globs` has no pattern without `!` (without the dot, any case).
        public var fileTypes: Set<String>

        /// Options with the defaults, or the values given.
        /// - Parameters:
        ///   - followSymlinks: follow links to targets inside the folders being loaded (default false).
        ///   - includeHidden: read names starting with `.` (default false).
        ///   - respectIgnoreFiles: apply `.gitignore`, `.ignore` and `.poiskignore` (default true).
        ///   - maxFileSize: the largest file read, in bytes (default ``defaultMaxFileSize``, 10 MiB).
        ///   - globs: gitignore-style patterns choosing files; `!` leaves out (default none).
        ///   - fileTypes: extensions read when no glob chooses (default ``defaultFileTypes``).
        public init(
            followSymlinks: Bool = false, includeHidden: Bool = false, respectIgnoreFiles: Bool = true,
            maxFileSize: Int = Options.defaultMaxFileSize, globs: [String] = [], fileTypes: Set<String> = Set(Options.defaultFileTypes)
        ) {
            self.followSymlinks = followSymlinks
            self.includeHidden = includeHidden
            self.respectIgnoreFiles = respectIgnoreFiles
            self.maxFileSize = maxFileSize
            self.globs = globs
            self.fileTypes = fileTypes
        }

        /// Checks the options: a malformed glob or a size below 1 byte. `load` checks them too.
        /// - Throws: `PoiskError.invalidArgument` saying what is wrong.
        /// - Complexity: O(total length of the globs).
        public func validate() throws(PoiskError) {
            guard maxFileSize > 0 else {
                throw PoiskError.invalidArgument(reason: "the largest file size must be at least 1 byte, got \(maxFileSize)")
            }
            _ = try FileSelection(options: self)
        }
    }

    /// What a loader read from folders and files, and what it skipped and why.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        /// Why an entry was not read.
        public enum Reason: String, Sendable, CaseIterable {
            /// Its name starts with `.` (see ``Options/includeHidden``).
            case hidden
            /// An ignore file excludes it, or it is a `.git` folder.
            case ignored
            /// A symbolic link not followed (see ``Options/followSymlinks``), or one that is
            /// broken, leaves the folders, or leads to a file or folder read another way.
            case symlink
            /// A FIFO, socket or device: never opened.
            case special
            /// Not one of the file types read, or not chosen by the globs.
            case otherType = "other_type"
            /// Over ``Options/maxFileSize``.
            case tooLarge = "too_large"
            /// A NUL byte in its first 8 KiB.
            case binary
            /// Could not be opened or read (permissions, vanished, changed while being read).
            case unreadable

            /// Words for a person: "too large", "other type".
            public var label: String { rawValue.replacingOccurrences(of: "_", with: " ") }
        }

        /// One entry that was not read. A skipped folder is one entry: what is inside it was not
        /// looked at.
        public struct Skipped: Sendable, Equatable {
            /// The entry's path: the folder as given, then the path under it.
            public let path: String
            /// Why it was skipped.
            public let reason: Reason
            /// Details: the ignore pattern and its file, the link's target, the size, the error.
            public let detail: String
            /// Whether it is a folder (or a link to one): nothing inside it was looked at.
            public let isDirectory: Bool
        }

        /// The most entries of one reason kept in ``skipped`` (the counts go on).
        public static let maxSkippedPerReason = 10_000

        /// Files read into documents (a JSON Lines file counts once).
        public internal(set) var filesRead = 0
        /// Documents produced.
        public internal(set) var documents = 0
        /// Skipped entries by reason, each counted once (a skipped folder is one).
        public internal(set) var skippedCounts: [Reason: Int] = [:]
        /// The skipped entries in the order met, at most ``maxSkippedPerReason`` of each reason.
        public internal(set) var skipped: [Skipped] = []

        /// How many entries were skipped for `reason`.
        public func count(_ reason: Reason) -> Int { skippedCounts[reason] ?? 0 }

        /// One line: `12 files read; skipped: 3 hidden, 5 ignored, …` (every reason, zeros too).
        public var description: String {
            let counts = Reason.allCases.map { "\(count($0)) \($0.label)" }.joined(separator: ", ")
            return "\(filesRead) file\(filesRead == 1 ? "" : "s") read; skipped: \(counts)"
        }

        /// Adds another summary's counts and entries to this one.
        mutating func add(_ other: Summary) {
            filesRead += other.filesRead
            documents += other.documents
            var kept: [Reason: Int] = [:]
            for entry in other.skipped {
                let count = kept[entry.reason] ?? min(count(entry.reason), Summary.maxSkippedPerReason)
                if count < Summary.maxSkippedPerReason { skipped.append(entry) }
                kept[entry.reason] = count + 1
            }
            for (reason, count) in other.skippedCounts { skippedCounts[reason, default: 0] += count }
        }

        mutating func record(_ path: String, _ reason: Reason, _ detail: String, isDirectory: Bool = false) {
            let count = skippedCounts[reason, default: 0]
            skippedCounts[reason] = count + 1
            if count < Summary.maxSkippedPerReason {
                skipped.append(Skipped(path: path, reason: reason, detail: detail, isDirectory: isDirectory))
            }
        }
    }
}
