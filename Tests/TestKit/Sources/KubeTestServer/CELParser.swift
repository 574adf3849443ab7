/// Parses and evaluates a CEL expression in one pass (recursive descent; `||` and `&&` short-circuit as CEL's
/// commutative logic allows for the errors that matter here). Grammar: or → and ('||' and)*; and → rel ('&&' rel)*;
/// rel → unary (op unary)?; unary → '!' unary | postfix; postfix → primary ('.' ident ('(' args ')')?)*.
struct CELParser {
    private let chars: [Character]
    private var index = 0
    private let selfValue: JSON
    /// Parsing the right side of a short-circuited `||`/`&&`: nothing is evaluated, so nothing can fail.
    private var skipping = false

    init(text: String, selfValue: JSON) {
        chars = Array(text)
        self.selfValue = selfValue
    }

    /// Whether only whitespace is left.
    var atEnd: Bool {
        mutating get {
            skipSpace()
            return index >= chars.count
        }
    }

    /// Parses and evaluates the whole expression.
    mutating func parseExpression() throws -> CELRule.Value {
        var left = try parseAnd()
        while consume("||") {
            let decided = truth(left)
            let saved = skipping
            skipping = skipping || decided
            let right = try parseAnd()
            skipping = saved
            left = .bool(decided || truth(right))
        }
        return left
    }

    private mutating func parseAnd() throws -> CELRule.Value {
        var left = try parseRelation()
        while consume("&&") {
            let decided = !truth(left)
            let saved = skipping
            skipping = skipping || decided
            let right = try parseRelation()
            skipping = saved
            left = .bool(!decided && truth(right))
        }
        return left
    }

    private mutating func parseRelation() throws -> CELRule.Value {
        let left = try parseUnary()
        for op in ["==", "!=", "<=", ">=", "<", ">"] where consume(op) {
            let right = try parseUnary()
            return skipping ? .null : try CELRule.compare(op, left, right)
        }
        return left
    }

    private mutating func parseUnary() throws -> CELRule.Value {
        if consume("!") {
            let operand = try parseUnary()
            if skipping { return .null }
            guard case .bool(let flag) = operand else { throw CELRule.Failure(text: "no such overload: !_") }
            return .bool(!flag)
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws -> CELRule.Value {
        var value = try parsePrimary()
        while consume(".") {
            let name = identifier()
            if consume("(") {
                let args = try arguments()
                value = skipping ? .null : try CELRule.method(value, name, args)
            } else if skipping {
                value = .null
            } else if case .json(let json) = value {
                guard let member = json[name] else { throw CELRule.Failure(text: "no such key: \(name)") }
                value = CELRule.value(member)
            } else {
                throw CELRule.Failure(text: "no such key: \(name)")
            }
        }
        return value
    }

    private mutating func parsePrimary() throws -> CELRule.Value {
        skipSpace()
        guard index < chars.count else { throw CELRule.Failure(text: "compilation error: unexpected end of rule") }
        let c = chars[index]
        if c == "(" {
            index += 1
            let value = try parseExpression()
            guard consume(")") else { throw CELRule.Failure(text: "compilation error: missing )") }
            return value
        }
        if c == "'" || c == "\"" { return .string(try stringLiteral(quote: c, raw: false)) }
        if c == "r" || c == "R", index + 1 < chars.count, chars[index + 1] == "'" || chars[index + 1] == "\"" {
            index += 1
            return .string(try stringLiteral(quote: chars[index], raw: true))
        }
        if c.isNumber {
            let digits = String(chars[index...].prefix { $0.isNumber })
            index += digits.count
            return .int(Int64(digits) ?? 0)
        }
        let name = identifier()
        switch name {
        case "self": return CELRule.value(selfValue)
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "": throw CELRule.Failure(text: "compilation error: unexpected character \(c)")
        default:
            guard consume("(") else { throw CELRule.Failure(text: "compilation error: undeclared reference to '\(name)'") }
            let args = try arguments()
            return skipping ? .null : try CELRule.call(name, args)
        }
    }

    private mutating func arguments() throws -> [CELRule.Value] {
        var values: [CELRule.Value] = []
        if consume(")") { return values }
        repeat { values.append(try parseExpression()) } while consume(",")
        guard consume(")") else { throw CELRule.Failure(text: "compilation error: missing )") }
        return values
    }

    /// A quoted string; a raw one (`r'…'`) keeps backslashes as they are.
    private mutating func stringLiteral(quote: Character, raw: Bool) throws -> String {
        index += 1
        var text = ""
        while index < chars.count, chars[index] != quote {
            if !raw, chars[index] == "\\", index + 1 < chars.count { index += 1 }
            text.append(chars[index])
            index += 1
        }
        guard index < chars.count else { throw CELRule.Failure(text: "compilation error: unterminated string") }
        index += 1
        return text
    }

    private mutating func identifier() -> String {
        skipSpace()
        let name = String(chars[index...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        index += name.count
        return name
    }

    private mutating func consume(_ token: String) -> Bool {
        skipSpace()
        let tokenChars = Array(token)
        guard index + tokenChars.count <= chars.count, Array(chars[index..<index + tokenChars.count]) == tokenChars else { return false }
        // "!" must not swallow the start of "!=", nor "<" of "<=".
        if token == "!" || token == "<" || token == ">", index + 1 < chars.count, chars[index + 1] == "=" { return false }
        index += tokenChars.count
        return true
    }

    private mutating func skipSpace() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    private func truth(_ value: CELRule.Value) -> Bool {
        if case .bool(let flag) = value { return flag }
        return false
    }
}
