// Walking the folders given to `DocumentLoader`: which entries become documents, and reading them
// without following links and without opening anything before its kind is known.
//
// For: `DocumentLoader.load`. Not for: JSON Lines (DocumentLoader.swift) or the text formats
// (TextFormats.swift).
//
// The walk holds a descriptor for each folder on its path and reaches entries relative to it
// (Platform/FileStatus.swift), sorted by name. Each entry is checked in this order, and the first
// rule that applies decides (a skipped folder is not entered and counts once):
// 1. hidden: its name starts with `.` (unless `includeHidden`); `.git` is always skipped;
// 2. ignored: the ignore files of its folder and the folders above it, up to the root, exclude it
//    (IgnoreRules.swift; a link or a special file is neither a file nor a folder to them, as to
//    git), or, for a file or folder, a `!` glob does;
// 3. its kind, from `lstat`: a symbolic link is skipped unless `followSymlinks` (see below); a
//    FIFO, socket or device is skipped without being opened; a folder is entered;
// 4. a file not of the types read (or chosen by no include glob) is skipped as another type;
// 5. a file over `maxFileSize` (from `lstat`) is skipped with a warning;
// 6. the file is opened (`O_NOFOLLOW | O_NONBLOCK`), `fstat` must show the regular file that was
//    listed, it is read up to the limit, and one with a NUL byte in its first 8 KiB is skipped as
//    binary with a warning.
// With `followSymlinks`, a survey walk (links not followed, nothing read) first notes the files
// and folders reached by their own paths. A link is then resolved with `realpath`; it is followed
// only when the target lies inside one of the folders being loaded and not in a `.git` folder.
// Its target decides its kind, the ignore rules see the link's path; a link to a folder reached
// by its own path or already walked (a loop) is not walked, and a link to a file reached by its
// own path or through an earlier link is skipped, so each file is read once, under its own path
// when it has one. The target opened must be the one checked (device and inode).

/// Which files of a folder the options choose: the types, and the globs.
struct FileSelection: Sendable {
    let includes: [IgnorePattern]
    let excludes: [IgnorePattern]
    let fileTypes: Set<String>

    /// - Throws: `PoiskError.invalidArgument` for an empty or malformed glob.
    init(options: DocumentLoader.Options) throws(PoiskError) {
        var includes: [IgnorePattern] = []
        var excludes: [IgnorePattern] = []
        for glob in options.globs {
            guard let pattern = IgnorePattern(line: Array(glob.utf8), base: "", source: "--glob") else {
                throw PoiskError.invalidArgument(
                    reason: "the glob '\(glob)' matches nothing (it is empty, or starts with '#': write '\\#' for a literal '#')")
            }
            if let problem = pattern.problem { throw PoiskError.invalidArgument(reason: "the glob '\(glob)' is malformed: \(problem)") }
            if pattern.isNegated { excludes.append(pattern) } else { includes.append(pattern) }
        }
        self.includes = includes
        self.excludes = excludes
        var types = Set<String>()
        for type in options.fileTypes {
            var t = type.lowercased()
            while t.hasPrefix(".") { t.removeFirst() }
            if !t.isEmpty { types.insert(t) }
        }
        self.fileTypes = types
    }

    /// The `!` glob that excludes an entry, if any.
    func excluding(path: [UInt8], nameStart: Int, isDirectory: Bool) -> IgnorePattern? {
        excludes.first { $0.matches(path: path, nameStart: nameStart, isDirectory: isDirectory) }
    }

    /// Whether a file is chosen: by an include glob when there is one, else by its extension.
    func selects(path: [UInt8], nameStart: Int, name: String) -> Bool {
        if includes.isEmpty { return fileTypes.contains(TextFormat.fileExtension(name)) }
        return includes.contains { $0.matches(path: path, nameStart: nameStart, isDirectory: false) }
    }
}

/// One loading run over the folders and files given to a `DocumentLoader`.
struct FolderWalker {
    let options: DocumentLoader.Options
    let selection: FileSelection
    /// The folders being loaded, with every link resolved: where a followed link may lead.
    let rootRealPaths: [String]
    /// Note what would be read, read nothing (the survey before following links).
    let surveying: Bool

    /// Files reached by their own paths: identity → path (from the survey).
    var ownPathFiles: [FileIdentity: String] = [:]
    /// Folders reached by their own paths (from the survey).
    var ownPathFolders: Set<FileIdentity> = []
    /// Folders walked in this run.
    var walkedFolders: Set<FileIdentity> = []
    /// Files read through links in this run.
    var linkedFiles: Set<FileIdentity> = []

    var documents: [Document] = []
    /// The loader's schema: front matter values of declared fields take their type.
    var schema: Schema?
    var summary = DocumentLoader.Summary()
    var warnings: [String] = []

    /// Folders deeper than this under a root are not entered (one descriptor is open per level).
    static let maxDepth = 256
    /// The largest ignore file read.
    static let maxIgnoreFileSize = 16 * 1024 * 1024
    /// How much of a file's start is checked for NUL bytes.
    static let binaryCheckLength = 8192

    init(options: DocumentLoader.Options, selection: FileSelection, rootRealPaths: [String], surveying: Bool = false) {
        self.options = options
        self.selection = selection
        self.rootRealPaths = rootRealPaths
        self.surveying = surveying
    }

    // MARK: - Folders

    /// Walks the folder `root` (a path a person gave; a link there is followed) and appends its
    /// documents sorted by id.
    /// - Throws: `PoiskError.io` when the folder cannot be opened.
    mutating func walk(root: String) throws(PoiskError) {
        let directory: SystemDirectory
        do {
            directory = try SystemDirectory.open(root)
        } catch {
            throw PoiskError.io(path: root, reason: "cannot open the folder (\(error.reason))")
        }
        defer { directory.close() }
        if let identity = try? directory.status().identity {
            walkedFolders.insert(identity)
            if surveying { ownPathFolders.insert(identity) }
        }
        let first = documents.count
        var ignores = IgnoreStack()
        walkFolder(directory, relative: "", root: root, depth: 0, throughLink: false, ignores: &ignores)
        documents[first...].sort { $0.id < $1.id }
    }

    /// Walks one folder. `throughLink`: the folder was reached through a followed link, so its
    /// files may be read already by their own paths.
    private mutating func walkFolder(
        _ directory: SystemDirectory, relative: String, root: String, depth: Int, throughLink: Bool, ignores: inout IgnoreStack
    ) {
        var pushed = false
        if options.respectIgnoreFiles {
            let rules = readIgnoreFiles(directory, relative: relative, root: root)
            if !rules.isEmpty {
                ignores.push(rules)
                pushed = true
            }
        }
        defer { if pushed { ignores.pop() } }
        let names: [String]
        do {
            let entries = try directory.entryNames()
            names = entries.names.sorted()
            for name in entries.undecodable.sorted() {
                skip(root, relative.isEmpty ? name : relative + "/" + name, .unreadable, "its name is not valid UTF-8", warn: true)
            }
        } catch {
            skip(root, relative, .unreadable, "cannot list the folder (\(error.reason))", isDirectory: true, warn: true)
            return
        }
        for name in names {
            visit(
                name, in: directory, relative: relative.isEmpty ? name : relative + "/" + name, root: root, depth: depth,
                throughLink: throughLink, ignores: &ignores)
        }
    }

    private mutating func visit(
        _ name: String, in directory: SystemDirectory, relative: String, root: String, depth: Int, throughLink: Bool,
        ignores: inout IgnoreStack
    ) {
        let status: FileStatus
        do {
            status = try directory.status(of: name, followingLink: false)
        } catch {
            skip(root, relative, .unreadable, "cannot read its status (\(error.reason))", warn: true)
            return
        }
        let isDirectory = status.kind == .directory
        if name.hasPrefix(".") && !options.includeHidden {
            skip(root, relative, .hidden, "", isDirectory: isDirectory)
            return
        }
        if name == ".git" {
            skip(root, relative, .ignored, "a .git folder is never read", isDirectory: isDirectory)
            return
        }
        let path = Array(relative.utf8)
        let nameStart = path.count - name.utf8.count
        switch status.kind {
        case .directory:
            if let reason = excluded(path, nameStart, isDirectory: true, ignores) {
                skip(root, relative, reason.0, reason.1, isDirectory: true)
                return
            }
            enterFolder(
                name, in: directory, status: status, followingLink: false, throughLink: throughLink, relative: relative, root: root,
                depth: depth, ignores: &ignores)
        case .regular:
            considerFile(
                name, in: directory, status: status, followingLink: false, throughLink: throughLink, relative: relative, root: root,
                ignores: ignores)
        case .symbolicLink where options.followSymlinks && !surveying:
            followLink(name, in: directory, relative: relative, root: root, depth: depth, ignores: &ignores)
        case .symbolicLink:
            // As git sees it: a link is neither a file nor a folder for the ignore rules.
            if let pattern = ignores.decidingPattern(path: path, nameStart: nameStart, isDirectory: false), !pattern.isNegated {
                skip(root, relative, .ignored, "\(pattern.source): \(pattern.text)")
            } else {
                skip(root, relative, .symlink, "symbolic links are not followed")
            }
        default:
            if let pattern = ignores.decidingPattern(path: path, nameStart: nameStart, isDirectory: false), !pattern.isNegated {
                skip(root, relative, .ignored, "\(pattern.source): \(pattern.text)")
            } else {
                skip(root, relative, .special, "\(status.kind.description), never opened")
            }
        }
    }

    /// Why an ignore file or a `!` glob leaves an entry out, or nil.
    private func excluded(
        _ path: [UInt8], _ nameStart: Int, isDirectory: Bool, _ ignores: IgnoreStack
    ) -> (DocumentLoader.Summary.Reason, String)? {
        if let pattern = ignores.decidingPattern(path: path, nameStart: nameStart, isDirectory: isDirectory), !pattern.isNegated {
            return (.ignored, "\(pattern.source): \(pattern.text)")
        }
        if let glob = selection.excluding(path: path, nameStart: nameStart, isDirectory: isDirectory) {
            return (.otherType, "excluded by the glob !\(glob.text)")
        }
        return nil
    }

    private mutating func enterFolder(
        _ name: String, in directory: SystemDirectory, status: FileStatus, followingLink: Bool, throughLink: Bool, relative: String,
        root: String, depth: Int, ignores: inout IgnoreStack
    ) {
        guard depth + 1 <= FolderWalker.maxDepth else {
            skip(root, relative, .unreadable, "more than \(FolderWalker.maxDepth) folders deep", isDirectory: true, warn: true)
            return
        }
        guard !walkedFolders.contains(status.identity) else {
            skip(root, relative, .unreadable, "the same folder was walked already (a mount inside itself?)", isDirectory: true)
            return
        }
        let child: SystemDirectory
        do {
            child = try directory.openDirectory(name, followingLink: followingLink)
        } catch {
            skip(root, relative, .unreadable, "cannot open the folder (\(error.reason))", isDirectory: true, warn: true)
            return
        }
        defer { child.close() }
        guard let opened = try? child.status(), opened.identity == status.identity else {
            skip(root, relative, .unreadable, "it changed while being loaded", isDirectory: true, warn: true)
            return
        }
        walkedFolders.insert(status.identity)
        if surveying { ownPathFolders.insert(status.identity) }
        walkFolder(child, relative: relative, root: root, depth: depth + 1, throughLink: throughLink || followingLink, ignores: &ignores)
    }

    // MARK: - Links

    private mutating func followLink(
        _ name: String, in directory: SystemDirectory, relative: String, root: String, depth: Int, ignores: inout IgnoreStack
    ) {
        let full = FolderWalker.join(root, relative)
        let real: String
        do {
            real = try SystemPath.realPath(full)
        } catch {
            skip(root, relative, .symlink, error.isNotFound ? "a broken link" : "cannot resolve the link (\(error.reason))")
            return
        }
        guard let under = locate(real) else {
            skip(root, relative, .symlink, "leads outside the folders being loaded, to \(real)")
            return
        }
        if under.split(separator: "/").contains(".git") {
            skip(root, relative, .symlink, "leads into a .git folder")
            return
        }
        let target: FileStatus
        do {
            target = try SystemPath.status(real, followingLinks: false)
        } catch {
            skip(root, relative, .symlink, "cannot read the target's status (\(error.reason))")
            return
        }
        let path = Array(relative.utf8)
        let nameStart = path.count - name.utf8.count
        switch target.kind {
        case .directory:
            if let reason = excluded(path, nameStart, isDirectory: true, ignores) {
                skip(root, relative, reason.0, reason.1, isDirectory: true)
            } else if ownPathFolders.contains(target.identity) {
                skip(root, relative, .symlink, "leads to the folder \(real), which is read by its own path", isDirectory: true)
            } else if walkedFolders.contains(target.identity) {
                skip(root, relative, .symlink, "leads to a folder already walked (a loop)", isDirectory: true)
            } else {
                enterFolder(
                    name, in: directory, status: target, followingLink: true, throughLink: true, relative: relative, root: root,
                    depth: depth, ignores: &ignores)
            }
        case .regular:
            considerFile(
                name, in: directory, status: target, followingLink: true, throughLink: true, relative: relative, root: root,
                ignores: ignores)
        default:
            if let reason = excluded(path, nameStart, isDirectory: false, ignores) {
                skip(root, relative, reason.0, reason.1)
            } else {
                skip(root, relative, .special, "leads to \(target.kind.description), never opened")
            }
        }
    }

    /// The path of `real` under the folder being loaded that holds it ("" for the folder itself),
    /// or nil when it is in none of them.
    private func locate(_ real: String) -> String? {
        for root in rootRealPaths {
            if real == root { return "" }
            if root == "/" { return String(real.dropFirst()) }
            if real.hasPrefix(root + "/") { return String(real.dropFirst(root.count + 1)) }
        }
        return nil
    }

    // MARK: - Files

    /// Decides about a regular file (or a link's target) and reads it. `throughLink`: reached
    /// through a followed link, so it is skipped when read by its own path or through an earlier
    /// link.
    private mutating func considerFile(
        _ name: String, in directory: SystemDirectory, status: FileStatus, followingLink: Bool, throughLink: Bool, relative: String,
        root: String, ignores: IgnoreStack
    ) {
        let path = Array(relative.utf8)
        let nameStart = path.count - name.utf8.count
        if let reason = excluded(path, nameStart, isDirectory: false, ignores) {
            skip(root, relative, reason.0, reason.1)
            return
        }
        if throughLink {
            if let known = ownPathFiles[status.identity] {
                skip(root, relative, .symlink, "the same file as \(known), which is read by its own path")
                return
            }
            if linkedFiles.contains(status.identity) {
                skip(root, relative, .symlink, "the same file as one already read through another link")
                return
            }
        }
        guard selection.selects(path: path, nameStart: nameStart, name: name) else {
            skip(root, relative, .otherType, selection.includes.isEmpty ? "not one of the file types read" : "matches no --glob")
            return
        }
        if status.size > options.maxFileSize {
            skipTooLarge(root, relative, size: status.size)
            return
        }
        if throughLink { linkedFiles.insert(status.identity) }
        if surveying {
            ownPathFiles[status.identity] = FolderWalker.join(root, relative)
            return
        }
        let file: SystemFile
        do {
            file = try directory.openFile(name, followingLink: followingLink)
        } catch {
            skip(root, relative, .unreadable, "cannot open it (\(error.reason))", warn: true)
            return
        }
        defer { file.close() }
        guard let opened = try? file.status(), opened.kind == .regular, opened.identity == status.identity else {
            skip(root, relative, .unreadable, "it changed while being loaded", warn: true)
            return
        }
        let bytes: [UInt8]
        do {
            bytes = try file.readToEnd(limit: options.maxFileSize, expectedSize: opened.size)
        } catch {
            skip(root, relative, .unreadable, "cannot read it (\(error.reason))", warn: true)
            return
        }
        add(bytes, id: relative, name: name, display: FolderWalker.join(root, relative), root: root, relative: relative)
    }

    /// Reads a file a person named (not in a folder walk): links followed, any extension, JSON
    /// Lines excepted (the caller reads those).
    /// - Throws: `PoiskError.fileNotFound`, or `.io` for a file that is not regular or cannot be read.
    mutating func readNamedFile(_ path: String) throws(PoiskError) {
        let file: SystemFile
        do {
            file = try SystemFile.openForReading(path)
        } catch {
            if error.isNotFound { throw PoiskError.fileNotFound(path: path) }
            throw PoiskError.io(path: path, reason: "cannot read the file (\(error.reason))")
        }
        defer { file.close() }
        let status: FileStatus
        do {
            status = try file.status()
        } catch {
            throw PoiskError.io(path: path, reason: "cannot read the file (\(error.reason))")
        }
        guard status.kind == .regular else { throw FolderWalker.notAFileOrFolder(path, status.kind) }
        if status.size > options.maxFileSize {
            skipTooLarge(path, "", size: status.size)
            return
        }
        let bytes: [UInt8]
        do {
            bytes = try file.readToEnd(limit: options.maxFileSize, expectedSize: status.size)
        } catch {
            throw PoiskError.io(path: path, reason: "cannot read the file (\(error.reason))")
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        add(bytes, id: name, name: name, display: path, root: path, relative: "")
    }

    /// The error for a path that is neither a regular file nor a folder.
    static func notAFileOrFolder(_ path: String, _ kind: FileKind) -> PoiskError {
        PoiskError.io(path: path, reason: "it is \(kind.description), not a file or folder; Poisk reads only regular files and folders")
    }

    private mutating func add(_ bytes: [UInt8], id: String, name: String, display: String, root: String, relative: String) {
        if bytes.count > options.maxFileSize {
            skipTooLarge(root, relative, size: bytes.count)
            return
        }
        if bytes.prefix(FolderWalker.binaryCheckLength).contains(0) {
            summary.record(display, .binary, "a NUL byte in its first 8 KiB")
            warnings.append("skipped \(display): looks like a binary file (NUL bytes)")
            return
        }
        documents.append(TextFormat(fileName: name).document(id: id, bytes: bytes, schema: schema))
        summary.filesRead += 1
        summary.documents += 1
    }

    // MARK: - Ignore files

    /// The patterns of the ignore files in a folder. A file that is not a regular one (a link) is
    /// not read, as git does not follow a linked `.gitignore`; one that cannot be read is skipped
    /// with a warning.
    private mutating func readIgnoreFiles(_ directory: SystemDirectory, relative: String, root: String) -> IgnoreRules {
        var rules = IgnoreRules(base: relative)
        for fileName in IgnoreRules.fileNames {
            guard let status = try? directory.status(of: fileName, followingLink: false) else { continue }
            let source = relative.isEmpty ? fileName : relative + "/" + fileName
            let display = FolderWalker.join(root, source)
            guard status.kind == .regular else {
                if !surveying { warnings.append("not reading \(display): \(status.kind.description), not a regular file") }
                continue
            }
            guard status.size <= FolderWalker.maxIgnoreFileSize else {
                if !surveying {
                    warnings.append("not reading \(display): larger than \(FolderWalker.formatSize(FolderWalker.maxIgnoreFileSize))")
                }
                continue
            }
            do {
                let file = try directory.openFile(fileName, followingLink: false)
                defer { file.close() }
                let opened = try file.status()
                guard opened.kind == .regular, opened.identity == status.identity else { continue }
                rules.add(contents: try file.readToEnd(limit: FolderWalker.maxIgnoreFileSize, expectedSize: opened.size), source: source)
            } catch {
                if !surveying { warnings.append("not reading \(display): \(error.reason)") }
            }
        }
        return rules
    }

    // MARK: - Reporting

    private mutating func skip(
        _ root: String, _ relative: String, _ reason: DocumentLoader.Summary.Reason, _ detail: String, isDirectory: Bool = false,
        warn: Bool = false
    ) {
        guard !surveying else { return }
        let display = FolderWalker.join(root, relative)
        summary.record(display, reason, detail, isDirectory: isDirectory)
        if warn { warnings.append("skipped \(display): \(detail)") }
    }

    private mutating func skipTooLarge(_ root: String, _ relative: String, size: Int) {
        skip(
            root, relative, .tooLarge,
            "\(FolderWalker.formatSize(size)), over the \(FolderWalker.formatSize(options.maxFileSize)) limit (raise it with --max-file-size or DocumentLoader.Options.maxFileSize)",
            warn: true)
    }

    /// `root` and a path under it, joined with one `/`.
    static func join(_ root: String, _ relative: String) -> String {
        if relative.isEmpty { return root }
        return root.hasSuffix("/") ? root + relative : root + "/" + relative
    }

    /// `512 bytes`, `3.2 KiB`, `12.0 MiB`, `10 MiB`.
    static func formatSize(_ bytes: Int) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) byte\(bytes == 1 ? "" : "s")" }
        var value = Double(bytes)
        var unit = -1
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return "\(text) \(units[unit])"
    }
}
