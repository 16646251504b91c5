# The ten ported rules, evaluated together: rule id -> {status, impacts, confidence}.
package stronger.checklist

import rego.v1

results := {
	"COH-02": data.stronger.rules.coh_02.result,
	"INF-02": data.stronger.rules.inf_02.result,
	"PAR-02": data.stronger.rules.par_02.result,
	"POW-01": data.stronger.rules.pow_01.result,
	"SND-01": data.stronger.rules.snd_01.result,
	"SND-02": data.stronger.rules.snd_02.result,
	"SND-03": data.stronger.rules.snd_03.result,
	"VOL-01": data.stronger.rules.vol_01.result,
	"VOL-02": data.stronger.rules.vol_02.result,
	"XSR-01": data.stronger.rules.xsr_01.result,
}
