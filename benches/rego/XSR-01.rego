# XSR-01: committed partners from more than one sector.
# Port of rules/partnership/XSR-01-cross-sector-partners.rhai (weight 1.5; amounts are unweighted).
package stronger.rules.xsr_01

import data.stronger.lib
import rego.v1

partners := lib.get(["partners"])

# The sectors of the partners that have committed in writing.
sectors := {sector |
	some p in lib.items(partners)
	committed := object.get(p, "committed", null)
	lib.stated(committed)
	committed == true
	sector := object.get(p, "sector", null)
	lib.stated(sector)
}

n := count(sectors)

result := {"status": "not-stated", "impacts": {}, "confidence": {}} if {
	not lib.stated(partners)
} else := {
	"status": "met",
	"impacts": {"NI7": 2, "NI5": 1},
	"confidence": {"NI7": "high", "NI5": "high"},
} if {
	n >= 3
} else := {
	"status": "met",
	"impacts": {"NI7": 1, "NI5": 1},
	"confidence": {"NI7": "high", "NI5": "high"},
} if {
	n == 2
} else := {"status": "not-met", "impacts": {"NI7": 1}, "confidence": {"NI7": "high"}} if {
	n == 1
} else := {"status": "not-met", "impacts": {}, "confidence": {}}
