package embedded

import (
	"log/slog"
	"syscall"
	"time"
)

// phases logs, at debug level, each step of an import with its wall and
// process CPU time, so that a run shows which steps keep only one core
// busy (CPU close to wall) and where the time goes.
type phases struct {
	log  *slog.Logger
	wall time.Time
	cpu  time.Duration
}

func newPhases(log *slog.Logger) *phases {
	return &phases{log: log, wall: time.Now(), cpu: processCPU()}
}

func (p *phases) done(name string) {
	now, cpu := time.Now(), processCPU()
	p.log.Debug("embedded import step", slog.String("step", name),
		slog.Duration("wall", now.Sub(p.wall).Round(time.Millisecond)), slog.Duration("cpu", (cpu-p.cpu).Round(time.Millisecond)))
	p.wall, p.cpu = now, cpu
}

// processCPU is the process's user and system CPU time so far (the store
// needs flock, so it builds only where getrusage exists too).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
