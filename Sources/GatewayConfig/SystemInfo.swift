// The one fact about the machine a default depends on.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum SystemInfo {
    /// `sysconf(_SC_NPROCESSORS_ONLN)`, at least 1.
    static var onlineProcessorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
