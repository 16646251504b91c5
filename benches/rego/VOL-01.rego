# VOL-01: the project recruits new volunteers into real roles.
# Port of rules/volunteering/VOL-01-new-volunteers.rhai (weight 2.0; amounts are unweighted).
package stronger.rules.vol_01

import data.stronger.lib
import rego.v1

fresh := lib.get(["volunteering", "new_volunteers"])

roles := lib.get(["volunteering", "roles"])

result := {"status": "not-met", "impacts": {}, "confidence": {}} if {
	not lib.stated(fresh)
	lib.stated(roles)
	roles == 0
} else := {"status": "met", "impacts": {"NI6": 1}, "confidence": {"NI6": "low"}} if {
	# Roles, but no word on whether new people will fill them.
	not lib.stated(fresh)
	lib.stated(roles)
} else := {"status": "met", "impacts": {"NI6": 1}, "confidence": {"NI6": "low"}} if {
	not lib.stated(fresh)
	lib.mentions(["volunteer*"])
} else := {"status": "not-stated", "impacts": {}, "confidence": {}} if {
	not lib.stated(fresh)
} else := {"status": "not-met", "impacts": {}, "confidence": {}} if {
	fresh == 0
} else := {
	"status": "met",
	"impacts": {"NI6": 2, "NI3": 1},
	"confidence": {"NI6": "medium", "NI3": "medium"},
} if {
	# Ten or more is a real intake that widens who takes part.
	fresh >= 10
} else := {"status": "met", "impacts": {"NI6": 1}, "confidence": {"NI6": "medium"}}
