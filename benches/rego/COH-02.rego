# COH-02: generations mix, and people meet in shared spaces.
# Port of rules/cohesion/COH-02-generations-shared-spaces.rhai (weight 1.5; amounts are unweighted).
package stronger.rules.coh_02

import data.stronger.lib
import rego.v1

intergenerational := lib.get(["cohesion", "intergenerational"])

spaces := lib.get(["cohesion", "shared_spaces"])

generations if {
	lib.stated(intergenerational)
	intergenerational == true
}

places := count(lib.items(spaces))

# Generations: NI1 +1 and NI2 +1; shared spaces: NI2 +1.
ni1 := count([1 | generations])

ni2 := count([1 | generations]) + count([1 | places > 0])

impacts := {k: v | some k, v in {"NI1": ni1, "NI2": ni2}; v != 0}

confidence := {k: "medium" | some k, _ in impacts}

result := {"status": "met", "impacts": impacts, "confidence": confidence} if {
	ni2 > 0
} else := {"status": "not-met", "impacts": {}, "confidence": {}} if {
	lib.stated(intergenerational)
	lib.stated(spaces)
} else := {"status": "not-stated", "impacts": {}, "confidence": {}} if {
	# One of the two is a "no" and the other is not stated: ask about the other.
	lib.stated(intergenerational)
} else := {"status": "not-stated", "impacts": {}, "confidence": {}} if {
	lib.stated(spaces)
} else := {"status": "met", "impacts": {"NI2": 1}, "confidence": {"NI2": "low"}} if {
	# Neither stated: fall back to the bid's own words.
	lib.mentions([
		"intergenerational", "inter-generational", "all ages", "young and old",
		"older and younger", "grandparents", "shared space*", "community hall",
		"community centre", "village hall", "community garden",
	])
} else := {"status": "not-stated", "impacts": {}, "confidence": {}}
