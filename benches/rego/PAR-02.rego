# PAR-02: residents take part in running the project.
# Port of rules/participation/PAR-02-civic-roles.rhai (weight 1.5; amounts are unweighted).
package stronger.rules.par_02

import data.stronger.lib
import rego.v1

seats := lib.get(["involvement", "residents_in_governance"])

result := {"status": "met", "impacts": {"NI3": 2}, "confidence": {"NI3": "medium"}} if {
	# Three or more residents means the residents' voice does not rest on one person.
	lib.stated(seats)
	seats >= 3
} else := {"status": "met", "impacts": {"NI3": 1}, "confidence": {"NI3": "medium"}} if {
	lib.stated(seats)
	seats > 0
} else := {"status": "not-met", "impacts": {}, "confidence": {}} if {
	lib.stated(seats)
} else := {"status": "met", "impacts": {"NI3": 1}, "confidence": {"NI3": "low"}} if {
	# No number: a committee or steering group in the bid's own words is a weak sign.
	lib.mentions([
		"committee", "trustee*", "steering group", "management group",
		"residents' panel", "residents panel",
	])
} else := {"status": "not-stated", "impacts": {}, "confidence": {}}
