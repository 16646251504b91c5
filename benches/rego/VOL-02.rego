# VOL-02: volunteers are trained, not left out of pocket, and can progress.
# Port of rules/volunteering/VOL-02-volunteers-supported.rhai (weight 1.0; amounts are unweighted).
package stronger.rules.vol_02

import data.stronger.lib
import rego.v1

roles := lib.get(["volunteering", "roles"])

fresh := lib.get(["volunteering", "new_volunteers"])

training := lib.get(["volunteering", "training"])

expenses := lib.get(["volunteering", "expenses_paid"])

progression := lib.get(["volunteering", "progression"])

# A project with no volunteers has no one to support.
no_volunteers if {
	lib.stated(roles)
	roles == 0
	not lib.stated(fresh)
}

no_volunteers if {
	lib.stated(roles)
	roles == 0
	lib.stated(fresh)
	fresh == 0
}

trained if {
	lib.stated(training)
	training == true
}

paid if {
	lib.stated(expenses)
	expenses == true
}

progress if {
	lib.stated(progression)
	not lib.says_nothing(progression)
}

nothing_stated if {
	not lib.stated(training)
	not lib.stated(expenses)
	not lib.stated(progression)
}

all_stated if {
	lib.stated(training)
	lib.stated(expenses)
	lib.stated(progression)
}

# One point for each kind of support in place.
points := count([1 | trained]) + count([1 | paid]) + count([1 | progress])

impacts := {"NI6": points} if points > 0 else := {}

confidence := {"NI6": "medium"} if points > 0 else := {}

result := {"status": "not-applicable", "impacts": {}, "confidence": {}} if {
	no_volunteers
} else := {"status": "met", "impacts": {"NI6": 1}, "confidence": {"NI6": "low"}} if {
	# Nothing stated: fall back to the bid's own words.
	nothing_stated
	lib.mentions(["training", "induction", "expenses", "mentor*", "DBS", "volunteer coordinator"])
} else := {"status": "not-stated", "impacts": {}, "confidence": {}} if {
	nothing_stated
} else := {"status": "met", "impacts": impacts, "confidence": confidence} if {
	points >= 2
} else := {"status": "not-stated", "impacts": impacts, "confidence": confidence} if {
	not all_stated
} else := {"status": "not-met", "impacts": impacts, "confidence": confidence}
