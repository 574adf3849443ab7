import Foundation

/// The `meta.k8s.io/v1` Table view that `kubectl get` asks for (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`),
/// built like apiextensions' CRD tableconvertor: a Name column, then the printer columns, first JSONPath result only.
enum TableConverter {
    /// Whether the Accept header asks for a Table.
    static func wantsTable(_ accept: String?) -> Bool {
        guard let accept else { return false }
        return accept.split(separator: ",").contains { part in
            let parameters = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            return parameters.contains("as=Table") && parameters.contains("g=meta.k8s.io")
        }
    }

    /// A Table of these objects; `includeObject` is the query parameter (None, Metadata (default) or Object).
    static func table(_ resource: ResourceKind, objects: [JSON], listMeta: [String: JSON], includeObject: String?, now: Date = Date()) -> JSON {
        let nameColumn: JSON = ["name": "Name", "type": "string", "format": "name", "priority": 0,
                                "description": .string(nameDescription)]
        let columns = [nameColumn] + resource.columns.map { column -> JSON in
            ["name": .string(column.name), "type": .string(column.type), "format": .string(column.format),
             "description": .string(column.description), "priority": .int(Int64(column.priority))]
        }
        let rows = objects.map { object -> JSON in
            var cells: [JSON] = [.string(object.name)]
            for column in resource.columns {
                cells.append(cell(column.type, value: evaluate(column.jsonPath, in: object).first, now: now))
            }
            var row: [String: JSON] = ["cells": .array(cells)]
            switch includeObject ?? "Metadata" {
            case "None": break
            case "Object": row["object"] = object
            default:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": .object(object.metadata)]
            }
            return .object(row)
        }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(listMeta),
                "columnDefinitions": .array(columns), "rows": .array(rows)]
    }

    /// ObjectMeta's documentation of `name`, which the Name column carries.
    static let nameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"

    /// A cell of this column type (tableconvertor cellForJSONValue): nil when the value has another type.
    static func cell(_ type: String, value: JSON?, now: Date) -> JSON {
        switch (type, value) {
        case ("integer", .int(let number)?): return .int(number)
        case ("integer", .double(let number)?): return .int(Int64(number))
        case ("number", .int(let number)?): return .double(Double(number))
        case ("number", .double(let number)?): return .double(number)
        case ("boolean", .bool(let flag)?): return .bool(flag)
        case ("string", .string(let text)?): return .string(text)
        case ("date", .string(let text)?):
            guard let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) else { return "<invalid>" }
            return .string(humanDuration(now.timeIntervalSince(date)))
        default: return .null
        }
    }

    /// Every value the simple JSONPath selects: `.a.b`, `.a[0]`, `.a[?(@.k=="v")].b`.
    static func evaluate(_ path: String, in object: JSON) -> [JSON] {
        var values = [object]
        var index = path.startIndex
        while index < path.endIndex {
            let character = path[index]
            if character == "." {
                index = path.index(after: index)
                let end = path[index...].firstIndex { $0 == "." || $0 == "[" } ?? path.endIndex
                let key = String(path[index..<end])
                values = values.compactMap { $0[key] }
                index = end
            } else if character == "[" {
                guard let close = path[index...].firstIndex(of: "]") else { return [] }
                let inside = String(path[path.index(after: index)..<close])
                values = values.flatMap { select(inside, in: $0) }
                index = path.index(after: close)
            } else {
                return []
            }
        }
        return values
    }

    /// The elements of an array that one bracket expression selects.
    private static func select(_ expression: String, in value: JSON) -> [JSON] {
        guard let elements = value.arrayValue else { return [] }
        if let position = Int(expression) { return elements.indices.contains(position) ? [elements[position]] : [] }
        if expression == "*" { return elements }
        // ?(@.field=="value")
        guard expression.hasPrefix("?(@."), expression.hasSuffix(")"), let equals = expression.range(of: "==") else { return [] }
        let field = String(expression[expression.index(expression.startIndex, offsetBy: 4)..<equals.lowerBound])
        let wanted = expression[equals.upperBound..<expression.index(before: expression.endIndex)]
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        return elements.filter { $0.value(atPath: field)?.stringValue == wanted }
    }

    /// apimachinery's duration.HumanDuration: "5s", "3m20s", "2h", "4d", "2y30d".
    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = hours / 24 % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
