import CSV
import Foundation
import TestSupport
import Testing

/// `bearing import population` and `bearing stats population` with the real UNHCR and COD-PS files.
@Suite(
    "Population figures on the command line",
    .enabled(
        if: CommandLine.binary != nil && SharedData.isAvailable,
        "build the bearing executable first (swift build), with ../shared/data beside the repository"))
struct PopulationCommandLineTests {
    /// A fresh data folder and the commands to run there: `run` (standard output and error) and `stdout` (standard output only).
    static func session() -> (
        URL, (_ args: String...) throws -> (code: Int32, out: String), (_ args: String...) throws -> String
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-pop-\(UUID().uuidString)")
        let env = ["BEARING_DATA_DIR": folder.path, "BEARING_BCRYPT_COST": "4"]
        return (
            folder, { (args: String...) in try CommandLine.run(args, env: env) },
            { (args: String...) in try CommandLine.run(args, env: env, standardErrorToo: false).out }
        )
    }

    /// A plain reading of a CSV: the sum of `columns` per `group`, empty cells as zero.
    func plainTotals(_ file: String, group: (CSVReader) -> String, columns: [String]) throws -> [String: [String:
        Int64]]
    {
        let reader = try CSVReader(stream: InputStream(url: SharedData.url(file))!, hasHeaderRow: true)
        var totals: [String: [String: Int64]] = [:]
        while reader.next() != nil {
            let key = group(reader)
            for column in columns { totals[key, default: [:]][column, default: 0] += Int64(reader[column] ?? "") ?? 0 }
        }
        return totals
    }

    @Test(
        "UNHCR's population statistics import completely; totals by year and type equal a plain reading; a re-import changes nothing"
    )
    func unhcrPopulation() throws {
        let (folder, run, stdout) = Self.session()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try run("migrate").code == 0)
        #expect(
            try run("operations", "create", "--code", "REG-1", "--name", "Regional", "--countries", "SDN").code == 0)
        let file = SharedData.url("unhcr/unhcr_population.csv").path
        let first = try run("import", "population", "--format", "unhcr-population", file, "--operation", "REG-1")
        #expect(first.code == 0)
        #expect(
            first.out.contains(
                "rows read: 138893\n  figures added: 207639\n  updated: 0\n  unchanged: 0\n  rejected rows: 0"),
            "\(first.out)")

        let columns = [
            "refugees", "asylum_seekers", "returned_refugees", "idps", "returned_idps", "stateless", "ooc", "oip",
            "hst",
        ]
        let codes = ["REF", "ASY", "RET", "IDP", "RDP", "STA", "OOC", "OIP", "HST"]
        let plain = try plainTotals("unhcr/unhcr_population.csv", group: { $0["year"] ?? "" }, columns: columns)
        let printed = try stdout(
            "stats", "population", "--operation", "REG-1", "--by", "year", "--population-type",
            codes.joined(separator: ","))
        let lines = printed.split(separator: "\n").map(String.init)
        #expect(lines.first == "year," + codes.joined(separator: ","))
        #expect(lines.count == plain.count + 1)
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",").map(String.init)
            let expected = columns.map { String(plain[cells[0]]?[$0] ?? 0) }
            #expect(Array(cells.dropFirst()) == expected, "year \(cells[0])")
        }
        // The 2025 refugees, as UNHCR's file gives them: a hand-checked anchor.
        #expect(printed.contains("\n2025,28461306,8998097,4362272,64239352,10308567,4477220,2957025,7177473,26670162"))

        // By origin: Sudanese refugees and asylum-seekers per year, as a plain reading of the ISO columns.
        let byOrigin = try stdout(
            "stats", "population", "--operation", "REG-1", "--by", "year,origin_iso3", "--population-type", "REF,ASY",
            "--format", "csv")
        let sudan =
            try plainTotals(
                "unhcr/unhcr_population.csv", group: { "\($0["year"] ?? ""),\($0["coo_iso"] ?? "")" },
                columns: ["refugees", "asylum_seekers"])["2024,SDN"] ?? [:]
        #expect(byOrigin.contains("\n2024,SDN,\(sudan["refugees"] ?? -1),\(sudan["asylum_seekers"] ?? -1)\n"))
        let json = try stdout(
            "stats", "population", "--operation", "REG-1", "--by", "year,asylum_iso3", "--population-type", "REF",
            "--format", "json")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        // UNHCR's own code AUS is Austria; joined on ISO, Australia is AUS and Austria AUT.
        let austria1951 = parsed.first { $0["year"] as? Int == 1951 && $0["asylum_iso3"] as? String == "AUT" }
        #expect(austria1951?["REF"] as? Int == 282000)

        let again = try run("import", "population", "--format", "unhcr-population", file, "--operation", "REG-1")
        #expect(again.out.contains("figures added: 0\n  updated: 0\n  unchanged: 207639"), "\(again.out)")
        #expect(try run("stats", "population", "--operation", "REG-1", "--population-type", "REF,XYZ").code != 0)
    }

    @Test(
        "UNHCR's demographics and a COD-PS file import; breakdowns are kept under the source's labels; Bangui's two rows are combined and said"
    )
    func demographicsAndCOD() throws {
        let (folder, run, stdout) = Self.session()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try run("migrate").code == 0)
        #expect(
            try run("operations", "create", "--code", "REG-2", "--name", "Regional", "--countries", "SDN").code == 0)
        let demographics = try run(
            "import", "population", "--format", "unhcr-demographics",
            SharedData.url("unhcr/unhcr_demographics.csv").path,
            "--operation", "REG-2")
        #expect(
            demographics.out.contains(
                "rows read: 20771\n  figures added: 20771\n  updated: 0\n  unchanged: 0\n  rejected rows: 0"),
            "\(demographics.out)")
        let plain = try plainTotals("unhcr/unhcr_demographics.csv", group: { $0["pop_type"] ?? "" }, columns: ["total"])
        let printed = try stdout(
            "stats", "population", "--operation", "REG-2", "--population-type", "REF,ASY,STA", "--dataset",
            "unhcr_demographics")
        #expect(
            printed
                == "year,REF,ASY,STA\n2025,\(plain["REF"]!["total"]!),\(plain["ASY"]!["total"]!),\(plain["STA"]!["total"]!)\n"
        )

        // Exported as HXL, every figure comes back: the same rows, the same totals per type, the source's own age bins.
        let hxl = try stdout(
            "export", "population", "--operation", "REG-2", "--dataset", "unhcr_demographics", "--format", "hxl")
        let exported = try CSVReader(string: hxl, hasHeaderRow: true)
        #expect(exported.next()?.contains("#population_group+code") == true, "the second line is the hashtag row")
        var rows = 0
        var byType: [String: Int64] = [:]
        var binsSeen = false
        while exported.next() != nil {
            rows += 1
            byType[exported["population_type"] ?? "", default: 0] += Int64(exported["total"] ?? "") ?? -1
            binsSeen = binsSeen || (exported["breakdown"] ?? "").contains("f_0_4=")
            #expect(
                exported["year"] == "2025" && exported["reference_date"] == "", "a bare year is #x_year, never a #date")
        }
        #expect(rows == 20771)
        #expect(byType.mapValues { String($0) } == plain.mapValues { String($0["total"] ?? 0) })
        #expect(binsSeen)
        #expect(
            try run("export", "population", "--operation", "REG-2", "--population-type", "REF,XYZ", "--format", "csv")
                .out.contains("Unknown population type XYZ"))

        #expect(try run("operations", "create", "--code", "CAF-1", "--name", "CAR", "--countries", "CAF").code == 0)
        let adm2 = try run(
            "import", "population", "--format", "cod-ps", SharedData.url("population/caf_admpop_adm2_2015_v2.csv").path,
            "--operation", "CAF-1")
        #expect(adm2.out.contains("rows read: 73\n  figures added: 72"), "\(adm2.out)")
        #expect(
            adm2.out.contains("CF711 (Bangui) is listed on rows 13 and 14: the two were added together, 839081 people.")
        )
        let adm1 = try run(
            "import", "population", "--format", "cod-ps", SharedData.url("population/caf_admpop_adm1_2015_v2.csv").path,
            "--operation", "CAF-1")
        #expect(
            adm1.out.contains("rows read: 17\n  figures added: 17\n  updated: 0\n  unchanged: 0\n  rejected rows: 0"),
            "\(adm1.out)")
        // Thousands separators read as such: the whole country, from the adm1 file.
        let total = try stdout(
            "stats", "population", "--operation", "CAF-1", "--population-type", "POP", "--dataset",
            "caf_admpop_adm1_2015_v2")
        #expect(total == "year,POP\n2015,4953014\n")
    }

    @Test("bad rows are refused one by one with their reason; good rows are kept")
    func badRows() throws {
        let (folder, run, _) = Self.session()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try run("migrate").code == 0)
        #expect(
            try run("operations", "create", "--code", "BAD-1", "--name", "Bad rows", "--countries", "SDN").code == 0)
        let header =
            "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst"
        let population = folder.appendingPathComponent("population.csv")
        try """
        \(header)
        2024,Sudan,SUD,SDN,Chad,CHD,TCD,1000,20,0,0,0,0,0,,0
        2024,Sudan,SUD,SDN,Nowhere,NOW,ZZZ,5,0,0,0,0,0,0,,0
        2024,Sudan,SUD,SDN,Egypt,ARE,EGY,many,0,0,0,0,0,0,,0
        20x4,Sudan,SUD,SDN,Egypt,ARE,EGY,1,0,0,0,0,0,0,,0
        2024,Sudan,SUD,SDN,Egypt,ARE,EGY,"1,2345",0,0,0,0,0,0,,0
        2024,Sudan,SUD,SDN,Ethiopia,ETH,ETH,700,-3,0,0,0,0,0,,0
        2024,Unknown,UKN,UNK,Chad,CHD,TCD,12,0,0,0,0,0,0,,0
        """.write(to: population, atomically: true, encoding: .utf8)
        let out = try run(
            "import", "population", "--format", "unhcr-population", population.path, "--operation", "BAD-1"
        ).out
        #expect(
            out.contains("rows read: 7\n  figures added: 3\n  updated: 0\n  unchanged: 0\n  rejected rows: 5"), "\(out)"
        )
        #expect(
            out.contains(
                "row 3, coa_iso: rejected: “ZZZ” is not an ISO 3166 alpha-3 country code (nor UNHCR's UNK, XXA or TIB)."
            ))
        #expect(out.contains("row 4, refugees: rejected: “many” is not a count of people."))
        #expect(out.contains("row 5, year: rejected: “20x4” is not a year."))
        #expect(out.contains("row 6, refugees: rejected: “1,2345” is not a count of people."))
        #expect(out.contains("row 7, asylum_seekers: rejected: “-3” is not a count of people."))

        let demographics = folder.appendingPathComponent("demographics.csv")
        try """
        year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,pop_type,location,loc_type,acc_type,f_0_4,f_5_11,f_12_17,f_18_59,f_60,f_other,f_total,m_0_4,m_5_11,m_12_17,m_18_59,m_60,m_other,m_total,total
        2025,Sudan,SUD,SDN,Chad,CHD,TCD,REF,Farchana [Admin 2],R,P,10,10,10,10,10,0,50,10,10,10,10,10,0,50,120
        2025,Sudan,SUD,SDN,Chad,CHD,TCD,REF,Adré [Admin 2],R,P,10,10,10,10,10,0,50,10,10,10,10,10,0,50,90
        2025,Sudan,SUD,SDN,Chad,CHD,TCD,XYZ,Iriba [Admin 2],R,P,0,0,0,0,0,0,0,0,0,0,0,0,0,0,40
        2025,Sudan,SUD,SDN,Chad,CHD,TCD,ASY,N'Djamena [Admin 1],U,I,1,1,1,1,1,0,6,0,0,0,0,0,0,0,6
        2025,Sudan,SUD,SDN,Chad,CHD,TCD,ASY,Abéché [Admin 1],U,I,0,0,0,0,0,0,0,0,0,0,0,0,0,0,75
        """.write(to: demographics, atomically: true, encoding: .utf8)
        let demo = try run(
            "import", "population", "--format", "unhcr-demographics", demographics.path, "--operation", "BAD-1"
        ).out
        #expect(
            demo.contains("rows read: 5\n  figures added: 2\n  updated: 0\n  unchanged: 0\n  rejected rows: 3"),
            "\(demo)")
        #expect(demo.contains("row 3, total: rejected: The breakdown by sex (100) is larger than the total (90)."))
        #expect(demo.contains("row 4, pop_type: rejected: “XYZ” is not a UNHCR population type"))
        #expect(
            demo.contains(
                "row 5, f_total: rejected: The age bins add up to 5 women and 0 men, but f_total and m_total say 6 and 0."
            ))

        let missing = folder.appendingPathComponent("wrong.csv")
        try "name,count\nA,1\n".write(to: missing, atomically: true, encoding: .utf8)
        let wrong = try run(
            "import", "population", "--format", "unhcr-population", missing.path, "--operation", "BAD-1")
        #expect(wrong.code != 0 && wrong.out.contains("lacks the columns year, coo_iso, coa_iso"), "\(wrong.out)")
    }
}
