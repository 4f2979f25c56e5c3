// The one launcher for the processes tests run (Python fixtures, Redis, the gateway, nginx):
// output in files the test can search, readiness by polling, ended by its own PID.
import Foundation

/// A child process started for one test.
///
/// Thread-safety: `@unchecked Sendable`; `Process` is safe to query from any thread, and the
/// output files are only read.
public final class FixtureProcess: @unchecked Sendable {
    private let process = Process()
    public let stdoutURL: URL
    public let stderrURL: URL
    /// The folder made for the output files when the caller gave none; removed by `stop()`.
    private let ownDirectory: URL?

    /// Starts `executable` with `arguments`; `environment` is added to this process's own.
    /// Output goes to `name.stdout` and `name.stderr` in `directory` (a fresh temporary folder
    /// if nil).
    public init(
        executable: String, arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        name: String
    ) throws {
        let folder: URL
        if let directory {
            folder = directory
            ownDirectory = nil
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            ownDirectory = folder
        }
        stdoutURL = folder.appendingPathComponent("\(name).stdout")
        stderrURL = folder.appendingPathComponent("\(name).stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw FixtureUnavailable("cannot run \(executable): \(error)")
        }
    }

    /// A Python script under `TestPython.path`, unbuffered, so its ready line shows up at once.
    public static func python(
        script: String, arguments: [String] = [], environment: [String: String] = [:], directory: URL? = nil,
        name: String? = nil
    ) throws -> FixtureProcess {
        guard let python = TestPython.path else {
            throw FixtureUnavailable("python3 not found; set GATEWAY_TEST_PYTHON")
        }
        let name = name ?? URL(fileURLWithPath: script).deletingPathExtension().lastPathComponent
        return try FixtureProcess(
            executable: python, arguments: ["-u", script] + arguments, environment: environment, directory: directory,
            name: "\(name)-\(UUID().uuidString.prefix(8))")
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Polls `read` (every 20 ms, up to `timeout`) until `find` returns a value; fails with the
    /// process's output if it exits first or time runs out.
    public func waitFor<T>(
        _ what: String, timeout: TimeInterval = 20, in read: () -> String, _ find: (String) -> T?
    ) throws -> T {
        var found: T?
        var exited = false
        _ = waitUntil(timeout: timeout, interval: 0.02) {
            found = find(read())
            if found == nil, !process.isRunning {
                found = find(read())
                exited = true
            }
            return found != nil || exited
        }
        if let found { return found }
        let output = "\nstdout: \(stdout)\nstderr: \(stderr)"
        if exited { throw TestFailure("process exited (\(process.terminationStatus)) before \(what)\(output)") }
        throw TestFailure("timed out waiting for \(what)\(output)")
    }

    /// The port from the `PORT n` line the fixture prints on stdout once it listens.
    public func waitForPort(_ what: String, timeout: TimeInterval = 20) throws -> Int {
        do {
            return try waitFor(what, timeout: timeout, in: { stdout }) { text in
                text.split(separator: "\n").first { $0.hasPrefix("PORT ") }.flatMap { Int($0.dropFirst(5)) }
            }
        } catch {
            stop()
            throw error
        }
    }

    public func signal(_ number: Int32) {
        if process.isRunning { kill(pid, number) }
    }

    /// Waits for the exit and returns its status, killing the process after `timeout`.
    @discardableResult
    public func waitForExit(timeout: TimeInterval = 20) -> Int32 {
        if !waitUntil(timeout: timeout, interval: 0.02, { !process.isRunning }) {
            kill(pid, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGTERM, then SIGKILL if it is still running after `grace`; removes its own folder.
    public func stop(grace: TimeInterval = 2) {
        if process.isRunning {
            kill(pid, SIGTERM)
            waitForExit(timeout: grace)
        }
        if let ownDirectory { try? FileManager.default.removeItem(at: ownDirectory) }
    }
}

/// A test helper that could not do its job; the description says what and shows the output.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
