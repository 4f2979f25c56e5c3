// Heap memory that was freed but that glibc's malloc still holds (in every thread's arena).
import CCoreShims

public enum FreedMemory {
    /// malloc_trim(0): hands free pages of every arena back to the system. It walks the heap
    /// (a few milliseconds), so it is called after rare events only: thousands of connections
    /// closed, or a reload whose old generation has drained.
    public static func returnToSystem() {
        _ = gw_malloc_trim()
    }
}
