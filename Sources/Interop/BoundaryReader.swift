import Foundation
import Geo

/// Reads administrative boundary files (OCHA COD-AB, Natural Earth) and checks them before import.
public enum BoundaryReader {
    /// Reads the features at one level; the level is detected from `admN_pcode` properties unless given.
    public static func read(_ data: Data, level: Int? = nil, knownParentPcodes: Set<String> = []) throws(GeoJSONError)
        -> BoundaryImportReport
    {
        let raw = try GeoJSONReader.features(from: data)
        // COD-AB property names vary in case between producers, so look everything up lower-cased.
        let properties = raw.map { feature in
            Dictionary(
                feature.properties.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        let codLevels = Set(
            properties.flatMap {
                $0.compactMap { key, value in value.nonEmptyString == nil ? nil : pcodeLevel(of: key) }
            })
        let naturalEarth =
            codLevels.isEmpty
            && properties.contains { $0["adm0_a3"]?.nonEmptyString != nil || $0["iso_a3"]?.nonEmptyString != nil }
        let levelWasDetected = level == nil && (!codLevels.isEmpty || naturalEarth)
        let targetLevel = level ?? codLevels.max() ?? 0

        var features: [BoundaryFeature] = []
        var problems: [BoundaryProblem] = []
        for (position, feature) in raw.enumerated() {
            let props = properties[position]
            let names = names(in: props, level: targetLevel, naturalEarth: naturalEarth)
            let pcode: String?
            if naturalEarth && targetLevel == 0 {
                pcode = [props["adm0_a3"], props["iso_a3"]].compactMap { $0?.nonEmptyString }.first { $0 != "-99" }
            } else {
                pcode = props["adm\(targetLevel)_pcode"]?.nonEmptyString
            }
            let displayName = names.display ?? pcode
            func problem(_ kind: BoundaryProblem.Kind, _ detail: String) -> BoundaryProblem {
                BoundaryProblem(
                    featureIndex: feature.index, featureName: displayName, pcode: pcode, kind: kind, detail: detail)
            }

            if level != nil {
                if pcode == nil {
                    problems.append(
                        problem(
                            .levelMismatch, "no adm\(targetLevel)_pcode property for the requested level \(targetLevel)"
                        ))
                    continue
                }
                if let deeper = props["adm\(targetLevel + 1)_pcode"]?.nonEmptyString {
                    problems.append(
                        problem(
                            .levelMismatch,
                            "has adm\(targetLevel + 1)_pcode \"\(deeper)\", so it looks like level \(targetLevel + 1), not \(targetLevel)"
                        ))
                    continue
                }
            }
            guard let pcode else {
                let expected = naturalEarth ? "ADM0_A3 or ISO_A3" : "adm\(targetLevel)_pcode"
                problems.append(problem(.missingPcode, "no \(expected) value"))
                continue
            }
            guard let geometry = feature.geometry else {
                problems.append(problem(.missingGeometry, "the geometry is null"))
                continue
            }
            guard let areal = geometry.areal else {
                problems.append(
                    problem(
                        .unsupportedGeometry,
                        "\(geometry.typeName) geometry; boundaries must be Polygon or MultiPolygon"))
                continue
            }
            for geometryProblem in GeometryValidator.problems(in: areal) {
                problems.append(problem(.invalidGeometry, geometryProblem.description))
            }
            let parent = targetLevel > 0 ? props["adm\(targetLevel - 1)_pcode"]?.nonEmptyString : nil
            features.append(
                BoundaryFeature(
                    index: feature.index, level: targetLevel, pcode: pcode, parentPcode: parent,
                    name: displayName ?? pcode, names: names.byLanguage, geometry: areal
                ))
        }

        problems += duplicateProblems(features)
        problems += orphanProblems(features, knownParentPcodes: knownParentPcodes)
        // Stable ordering by feature, keeping each feature's problems in the order they were found.
        problems = problems.enumerated()
            .sorted { ($0.element.featureIndex ?? -1, $0.offset) < ($1.element.featureIndex ?? -1, $1.offset) }
            .map(\.element)

        var perLevel: [Int: Int] = [:]
        for feature in features { perLevel[feature.level, default: 0] += 1 }
        return BoundaryImportReport(
            features: features, featuresPerLevel: perLevel, problems: problems,
            detectedLevel: targetLevel, levelWasDetected: levelWasDetected
        )
    }

    /// N for a key of the form "admN_pcode", else nil.
    static func pcodeLevel(of key: String) -> Int? {
        guard key.hasPrefix("adm"), key.hasSuffix("_pcode") else { return nil }
        let digits = key.dropFirst(3).dropLast(6)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }

    /// Names by language plus the one to display, following COD-AB or Natural Earth conventions.
    private static func names(in props: [String: JSONValue], level: Int, naturalEarth: Bool) -> (
        byLanguage: [String: String], display: String?
    ) {
        var byLanguage: [String: String] = [:]
        var ordered: [String] = []
        if naturalEarth {
            if let english = props["name_en"]?.nonEmptyString ?? props["name"]?.nonEmptyString {
                byLanguage["en"] = english
                ordered.append(english)
            }
            // NAME_AR, NAME_FR, NAME_ES… ; longer suffixes (NAME_LONG, NAME_SORT) are not languages.
            for key in props.keys.sorted() where key.hasPrefix("name_") && key.count == 7 && key != "name_en" {
                let language = String(key.dropFirst(5))
                guard language.allSatisfy(\.isLetter), let value = props[key]?.nonEmptyString else { continue }
                byLanguage[language] = value
                ordered.append(value)
            }
            return (byLanguage, byLanguage["en"] ?? ordered.first)
        }
        let prefix = "adm\(level)_name"
        // admN_name goes with lang, admN_name1 with lang1, and so on.
        for suffix in ["", "1", "2", "3", "4", "5"] {
            guard let value = props[prefix + suffix]?.nonEmptyString else { continue }
            ordered.append(value)
            let language = props["lang" + suffix]?.nonEmptyString?.lowercased() ?? (suffix.isEmpty ? "en" : nil)
            if let language, byLanguage[language] == nil { byLanguage[language] = value }
        }
        let reference = props["adm\(level)_ref_name"]?.nonEmptyString
        return (byLanguage, byLanguage["en"] ?? reference ?? ordered.first)
    }

    /// One problem for each feature reusing a P-code already taken by an earlier feature.
    private static func duplicateProblems(_ features: [BoundaryFeature]) -> [BoundaryProblem] {
        var firstByPcode: [String: BoundaryFeature] = [:]
        var problems: [BoundaryProblem] = []
        for feature in features {
            if let first = firstByPcode[feature.pcode] {
                problems.append(
                    BoundaryProblem(
                        featureIndex: feature.index, featureName: feature.name, pcode: feature.pcode,
                        kind: .duplicatePcode,
                        detail: "\(feature.pcode) is also used by feature \(first.index) (\(first.name))"
                    ))
            } else {
                firstByPcode[feature.pcode] = feature
            }
        }
        return problems
    }

    /// Areas whose parent would not be above them once `features` replace the stored areas they
    /// name: every parent must sit at a lower level, which also rules out an area that is its own
    /// parent and any loop (a file can re-level a stored area under one of its own children).
    public static func hierarchyProblems(
        _ features: [BoundaryFeature], stored: [(pcode: String, level: Int, parent: String?)]
    ) -> [BoundaryProblem] {
        var areas: [String: (level: Int, parent: String?, feature: BoundaryFeature?)] = [:]
        for area in stored { areas[area.pcode] = (area.level, area.parent, nil) }
        for feature in features { areas[feature.pcode] = (feature.level, feature.parentPcode, feature) }
        var problems: [BoundaryProblem] = []
        for (pcode, area) in areas.sorted(by: {
            ($0.value.feature?.index ?? Int.max, $0.key) < ($1.value.feature?.index ?? Int.max, $1.key)
        }) {
            guard let parent = area.parent, let above = areas[parent], above.level >= area.level else { continue }
            // a stored child made wrong by a feature that re-levels its parent
            let culprit = area.feature ?? above.feature
            problems.append(
                BoundaryProblem(
                    featureIndex: culprit?.index, featureName: culprit?.name, pcode: culprit?.pcode ?? pcode,
                    kind: .parentNotAbove,
                    detail: parent == pcode
                        ? "\(pcode) would be its own parent"
                        : "\(pcode) (level \(area.level)) would have \(parent) (level \(above.level)) as its parent; a parent must be at a lower level"
                ))
        }
        return problems
    }

    /// Features whose parent is neither a feature one level up in the file nor a known P-code.
    private static func orphanProblems(_ features: [BoundaryFeature], knownParentPcodes: Set<String>)
        -> [BoundaryProblem]
    {
        var pcodesByLevel: [Int: Set<String>] = [:]
        for feature in features { pcodesByLevel[feature.level, default: []].insert(feature.pcode) }
        var problems: [BoundaryProblem] = []
        for feature in features where feature.level > 0 {
            let parentLevel = feature.level - 1
            guard let parent = feature.parentPcode else {
                problems.append(
                    BoundaryProblem(
                        featureIndex: feature.index, featureName: feature.name, pcode: feature.pcode,
                        kind: .orphanParent,
                        detail: "no adm\(parentLevel)_pcode value"
                    ))
                continue
            }
            if pcodesByLevel[parentLevel]?.contains(parent) == true || knownParentPcodes.contains(parent) { continue }
            problems.append(
                BoundaryProblem(
                    featureIndex: feature.index, featureName: feature.name, pcode: feature.pcode, kind: .orphanParent,
                    detail:
                        "parent \(parent) is neither a level-\(parentLevel) feature in this file nor an existing area"
                ))
        }
        return problems
    }
}

extension JSONValue {
    /// The scalar as trimmed text, or nil when null, empty or not a scalar.
    var nonEmptyString: String? {
        guard let text = stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
