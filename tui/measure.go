package tui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"mnet.dev/mnet/analyze"
)

// measureProgressMsg reports runs done of the running measurement.
type measureProgressMsg struct{ id, done, total int }

// measureDoneMsg ends a measurement.
type measureDoneMsg struct {
	id  int
	key config
	m   Measurement
	err error
}

// measureTask is a configuration waiting to be measured.
type measureTask struct {
	key    config
	label  string
	report *analyze.Report
}

// measureJob is the running measurement (immutable once started).
type measureJob struct {
	id         int
	task       measureTask
	cancel     context.CancelFunc
	progress   chan measureProgressMsg // latest progress; sends never block
	done       chan measureDoneMsg
	batchIndex int // 1-based position in a batch (M), 0 for a single one
	batchSize  int
}

// measurer runs latency measurements one at a time in the background and
// remembers their results for the session.
type measurer struct {
	fn      MeasureFunc
	results map[config]Measurement
	job     *measureJob
	runs    int // progress of the job: done of total (runs, or ms)
	total   int
	stopped bool // the job is being cancelled
	queue   []measureTask
	nextID  int
	batch   int // size of the current batch
	started int // tasks of the batch started so far
	bar     progress.Model
}

func newMeasurer(fn MeasureFunc, st styles) measurer {
	bar := progress.New(progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'),
		progress.WithColors(st.Progress.GetForeground()))
	bar.EmptyColor = st.Dim.GetForeground()
	return measurer{fn: fn, results: map[config]Measurement{}, bar: bar}
}

func (m measurer) running() bool { return m.job != nil }

// result returns the measurement of a configuration, or nil.
func (m measurer) result(k config) *Measurement {
	if r, ok := m.results[k]; ok {
		return &r
	}
	return nil
}

// enqueue adds tasks and starts the first if nothing runs.
func (m measurer) enqueue(tasks ...measureTask) (measurer, tea.Cmd) {
	if m.job == nil {
		m.batch, m.started = 0, 0
	}
	m.queue = append(m.queue, tasks...)
	m.batch += len(tasks)
	if m.job != nil {
		return m, nil
	}
	return m.startNext()
}

func (m measurer) startNext() (measurer, tea.Cmd) {
	if len(m.queue) == 0 {
		m.job = nil
		return m, nil
	}
	t := m.queue[0]
	m.queue = m.queue[1:]
	m.started++
	m.nextID++
	ctx, cancel := context.WithCancel(context.Background())
	job := &measureJob{id: m.nextID, task: t, cancel: cancel,
		progress: make(chan measureProgressMsg, 1), done: make(chan measureDoneMsg, 1)}
	if m.batch > 1 {
		job.batchIndex, job.batchSize = m.started, m.batch
	}
	m.job, m.runs, m.total, m.stopped = job, 0, 0, false
	return m, tea.Batch(runMeasure(ctx, m.fn, job), job.wait())
}

// runMeasure is the command that measures in its own goroutine; progress
// is sent at most every 50 ms, keeping only the latest.
func runMeasure(ctx context.Context, fn MeasureFunc, job *measureJob) tea.Cmd {
	id, task, progressCh, doneCh := job.id, job.task, job.progress, job.done
	return func() tea.Msg {
		var mu sync.Mutex
		var last time.Time
		report := func(done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if done < total && time.Since(last) < 50*time.Millisecond {
				return
			}
			last = time.Now()
			select {
			case progressCh <- measureProgressMsg{id, done, total}:
			default:
			}
		}
		res, err := fn(ctx, task.report, report)
		doneCh <- measureDoneMsg{id: id, key: task.key, m: res, err: err}
		return nil
	}
}

// wait delivers the job's next message.
func (j *measureJob) wait() tea.Cmd {
	return func() tea.Msg {
		select {
		case p := <-j.progress:
			return p
		case d := <-j.done:
			return d
		}
	}
}

// cancel stops the running measurement and drops the queue; the job ends
// when its goroutine returns (its done message).
func (m measurer) cancel() measurer {
	m.queue = nil
	if m.job != nil && !m.stopped {
		m.stopped = true
		m.job.cancel()
	}
	return m
}

// update folds a measurement message in. It returns a status message for
// the user when a measurement ends.
func (m measurer) update(msg tea.Msg) (measurer, tea.Cmd, string, error) {
	switch msg := msg.(type) {
	case measureProgressMsg:
		if m.job == nil || msg.id != m.job.id {
			return m, nil, "", nil
		}
		m.runs, m.total = msg.done, msg.total
		return m, m.job.wait(), "", nil
	case measureDoneMsg:
		if m.job == nil || msg.id != m.job.id {
			return m, nil, "", nil
		}
		label := m.job.task.label
		m.job.cancel()
		if msg.err != nil {
			if errors.Is(msg.err, context.Canceled) {
				m.job = nil
				m.queue = nil
				return m, nil, "measurement of " + label + " cancelled", nil
			}
			m, cmd := m.startNext()
			return m, cmd, "", fmt.Errorf("measuring %s: %w", label, msg.err)
		}
		m.results = maps.Clone(m.results) // copy on write: earlier models keep theirs
		m.results[msg.key] = msg.m
		status := fmt.Sprintf("measured %s: %s median, %.1f GFLOP/s", label, duration(msg.m.Median), msg.m.GFLOPS)
		m, cmd := m.startNext()
		return m, cmd, status, nil
	}
	return m, nil, "", nil
}

// view is the progress line of the running measurement.
func (m measurer) view(st styles, w int) string {
	j := m.job
	if j == nil {
		return ""
	}
	what := "measuring " + j.task.label
	if j.batchSize > 1 {
		what += fmt.Sprintf(" (%d/%d)", j.batchIndex, j.batchSize)
	}
	if m.stopped {
		return " " + st.Dim.Render(what+": cancelling…")
	}
	frac := 0.0
	if m.total > 0 {
		frac = float64(m.runs) / float64(m.total)
	}
	tail := fmt.Sprintf(" %3.0f%% · esc cancels", 100*frac)
	barW := w - lipgloss.Width(what) - lipgloss.Width(tail) - 3
	if barW < 8 {
		return fit(" "+st.Progress.Render(what)+tail, w)
	}
	bar := m.bar
	bar.SetWidth(barW)
	return " " + st.Progress.Render(what) + " " + bar.ViewAs(frac) + tail
}

// latencyView is the latency line of the current configuration.
func latencyView(st styles, m *Measurement, running bool) []string {
	if m == nil {
		if running {
			return []string{st.Label.Render("Latency ") + st.Dim.Render("being measured…")}
		}
		return []string{st.Label.Render("Latency ") + st.Dim.Render("not measured: m measures it")}
	}
	return []string{
		st.Label.Render("Latency ") + st.Accent.Render(duration(m.Median)) + st.Dim.Render(" median  ") +
			st.Value.Render(fmt.Sprintf("%.1f GFLOP/s", m.GFLOPS)),
		st.Dim.Render(fmt.Sprintf("%d runs, %d threads, %s, this CPU", m.Runs, m.Threads, m.Kernels)),
	}
}
