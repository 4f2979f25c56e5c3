// The few file-system calls the loader needs, with errno turned into a readable reason.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

public enum ConfigFileSystem {
    /// The whole file as text, or the system's reason it cannot be read. Public for the
    /// executable's few reads (the assertion key), so it needs no Foundation.
    public static func readFile(_ path: String) -> Result<String, ReadFailure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadFailure(errno: errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(errno: errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// The names in a directory (without `.` and `..`), unsorted.
    static func listDirectory(_ path: String) -> Result<[String], ReadFailure> {
        guard let dir = opendir(path) else { return .failure(ReadFailure(errno: errno)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Why the file at `path` cannot be read, or nil when it can be opened for reading.
    static func readProblem(_ path: String) -> String? {
        if isDirectory(path) { return "is a directory" }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return ReadFailure(errno: errno).reason }
        close(fd)
        return nil
    }

    /// The canonical path (symlinks resolved), or nil when the file does not exist.
    static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path`'s directory as written: `conf.d/a.conf` -> `conf.d`, `a.conf` -> `.`.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// `relative` resolved against `directory`, kept short for messages.
    static func join(_ directory: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || directory == "." || directory.isEmpty { return relative }
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    public struct ReadFailure: Error {
        public var reason: String
        init(errno code: Int32) {
            reason = String(cString: strerror(code))
        }
    }
}
