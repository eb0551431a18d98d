package core

import (
	"context"
	"sync"
)

// fanout runs tasks on goroutines of their own, at most workers at once and
// at most perGroup of one group (a delivery's destination) at once, the
// tasks of a group in the order they were given. A task waiting for its
// group holds no worker, so a slow group delays only itself.
type fanout struct {
	workers, perGroup int
	// freed receives a signal, without blocking, whenever a task ends.
	freed chan struct{}
	wg    sync.WaitGroup

	mu      sync.Mutex
	running int
	queued  int
	groups  map[string]*group
}

type group struct {
	running int
	queue   []func()
}

func newFanout(workers, perGroup int) *fanout {
	return &fanout{workers: workers, perGroup: perGroup, freed: make(chan struct{}, 1), groups: map[string]*group{}}
}

// submit queues a task of group g, which starts as soon as the limits allow.
func (f *fanout) submit(g string, task func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	grp := f.groups[g]
	if grp == nil {
		grp = &group{}
		f.groups[g] = grp
	}
	grp.queue = append(grp.queue, task)
	f.queued++
	f.wg.Add(1)
	f.start()
}

// start starts what the limits allow. Map order is random, which spreads
// freed workers over the groups that wait.
func (f *fanout) start() {
	for name, g := range f.groups {
		for f.running < f.workers && g.running < f.perGroup && len(g.queue) > 0 {
			task := g.queue[0]
			g.queue[0] = nil
			g.queue = g.queue[1:]
			f.queued--
			f.running++
			g.running++
			go f.run(name, g, task)
		}
		if f.running >= f.workers {
			return
		}
	}
}

func (f *fanout) run(name string, g *group, task func()) {
	defer f.wg.Done()
	task()
	f.mu.Lock()
	f.running--
	g.running--
	if g.running == 0 && len(g.queue) == 0 {
		delete(f.groups, name)
	}
	f.start()
	f.mu.Unlock()
	select {
	case f.freed <- struct{}{}:
	default:
	}
}

// room returns how many more tasks can start at once, and how many tasks
// each group has running or waiting.
func (f *fanout) room() (free int, busy map[string]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	busy = make(map[string]int, len(f.groups))
	for name, g := range f.groups {
		busy[name] = g.running + len(g.queue)
	}
	return f.workers - f.running - f.queued, busy
}

// wait returns once every task submitted has ended.
func (f *fanout) wait() { f.wg.Wait() }

// inflight counts, per shop, the jobs this instance runs in the background,
// so that RunDue can wait for them: a job taken by the worker is one that
// became due, and the caller of AdvanceClock expects it done.
type inflight struct {
	mu sync.Mutex
	n  map[string]int
	// ended is closed, and replaced, whenever a job ends.
	ended chan struct{}
}

func newInflight() *inflight {
	return &inflight{n: map[string]int{}, ended: make(chan struct{})}
}

func (r *inflight) add(shopID string) {
	r.mu.Lock()
	r.n[shopID]++
	r.mu.Unlock()
}

func (r *inflight) done(shopID string) {
	r.mu.Lock()
	if r.n[shopID]--; r.n[shopID] <= 0 {
		delete(r.n, shopID)
	}
	close(r.ended)
	r.ended = make(chan struct{})
	r.mu.Unlock()
}

// busy tells whether the shop has jobs running in the background.
func (r *inflight) busy(shopID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n[shopID] > 0
}

// wait returns once the shop has no job running in the background, or ctx
// ended, and reports whether there was any to wait for.
func (r *inflight) wait(ctx context.Context, shopID string) bool {
	waited := false
	for {
		r.mu.Lock()
		n, ended := r.n[shopID], r.ended
		r.mu.Unlock()
		if n == 0 {
			return waited
		}
		waited = true
		select {
		case <-ended:
		case <-ctx.Done():
			return waited
		}
	}
}
