# POW-01: the project was designed with residents.
# Port of rules/power/POW-01-co-designed.rhai (weight 2.0; amounts are unweighted).
package stronger.rules.pow_01

import data.stronger.lib
import rego.v1

co := lib.get(["involvement", "co_designed"])

# Evidence from the consultation itself makes the claim a safe one.
confidence := "high" if lib.has_evidence("consultation") else := "medium"

result := {
	"status": "met",
	"impacts": {"NI4": 2, "NI2": 1},
	"confidence": {"NI4": confidence, "NI2": confidence},
} if {
	lib.stated(co)
	co == true
} else := {"status": "not-met", "impacts": {}, "confidence": {}} if {
	lib.stated(co)
} else := {"status": "met", "impacts": {"NI4": 1}, "confidence": {"NI4": "low"}} if {
	# Not stated: fall back to the bid's own words.
	lib.mentions([
		"co-design*", "codesign*", "co-produc*", "coproduc*",
		"designed with residents", "designed by residents",
		"designed with young people", "designed by young people",
		"resident-led", "led by residents", "community-led",
	])
} else := {"status": "not-stated", "impacts": {}, "confidence": {}}
