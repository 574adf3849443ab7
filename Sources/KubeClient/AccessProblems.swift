import Logging
import Synchronization

/// The access problems a process has now, at most one per call, as a value: says whether a
/// report is news (new, or different from the last one for that call) so it is logged once and
/// not on every retry, and forgets a call's problem when the call next succeeds.
public struct AccessProblemLedger: Sendable, Hashable {
    private var problems: [AccessProblem.Call: AccessProblem] = [:]

    /// An empty ledger.
    public init() {}

    /// Records a problem; true when it is news (the call had none, or a different one).
    public mutating func report(_ problem: AccessProblem) -> Bool {
        guard problems[problem.call] != problem else { return false }
        problems[problem.call] = problem
        return true
    }

    /// Records that a call succeeded; returns the problem this clears, if any.
    public mutating func succeeded(_ call: AccessProblem.Call) -> AccessProblem? {
        problems.removeValue(forKey: call)
    }

    /// The current problems, in a stable order.
    public var current: [AccessProblem] { problems.values.sorted { $0.call.description < $1.call.description } }
}

/// The process's access problems, shared by the reflector, the leader elector, status writes and
/// the event recorder, read by `/readyz`: one warning when a problem appears or changes, one
/// info line when it clears.
public final class AccessProblems: Sendable {
    private let ledger = Mutex(AccessProblemLedger())
    /// Who the client authenticates as, as far as it knows (`KubeClient.identity`).
    public let identity: String
    /// The program's words for what each refusal means and what fixes it.
    public let advice: AccessAdvice
    private let logger: Logger

    /// Creates an empty registry for a client identity.
    public init(identity: String, advice: AccessAdvice = .generic, logger: Logger = Logger(label: "hourly-image.access")) {
        self.identity = identity
        self.advice = advice
        self.logger = logger
    }

    /// Records a failed call; returns its access problem, or nil when the error is not one.
    @discardableResult
    public func failed(_ call: AccessProblem.Call, _ error: any Error) -> AccessProblem? {
        guard let apiError = error as? KubeAPIError else { return nil }
        guard let problem = AccessProblem.classify(call, error: apiError, identity: identity, advice: advice) else {
            // 404, 409, 422: the server authorized the call and then refused its content, so access is fine.
            if let code = apiError.code, [404, 409, 410, 422].contains(code) { succeeded(call) }
            return nil
        }
        if ledger.withLock({ $0.report(problem) }) {
            logger.warning(
                "\(problem.summary); fix: \(problem.hint)",
                metadata: [
                    "verb": "\(call.verb)", "resource": "\(call.resource)", "namespace": "\(call.namespace ?? "all")",
                    "code": "\(problem.code)", "identity": "\(identity)", "server": "\(problem.serverMessage)", "hint": "\(problem.hint)",
                ])
        }
        return problem
    }

    /// Records a successful call, clearing its problem.
    public func succeeded(_ call: AccessProblem.Call) {
        guard let cleared = ledger.withLock({ $0.succeeded(call) }) else { return }
        logger.info("access restored", metadata: ["verb": "\(call.verb)", "resource": "\(call.resource)", "namespace": "\(call.namespace ?? "all")", "was": "\(cleared.code)"])
    }

    /// The current problems, in a stable order.
    public var current: [AccessProblem] { ledger.withLock { $0.current } }
}
