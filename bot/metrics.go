package bot

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the dispatcher's Prometheus metrics.
type Metrics struct {
	MessagesIn  *prometheus.CounterVec // by channel
	MessagesOut *prometheus.CounterVec // by channel
	Duplicates  *prometheus.CounterVec // by channel
	Errors      *prometheus.CounterVec // by stage: commit, service, send, ack, sweep, expired, deadletter
	Unreachable *prometheus.CounterVec // by channel
	DeadLetters *prometheus.CounterVec // by channel: inbound messages set aside after their retries
	Transition  prometheus.Histogram   // seconds from taking a message to its commit
	Delivery    prometheus.Histogram   // seconds to deliver one batch of replies
}

// NewMetrics creates the metrics and registers them with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		MessagesIn:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: "saathi_messages_in_total", Help: "Inbound messages applied, by channel."}, []string{"channel"}),
		MessagesOut: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "saathi_messages_out_total", Help: "Replies delivered, by channel."}, []string{"channel"}),
		Duplicates:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: "saathi_duplicates_total", Help: "Inbound messages ignored as already applied, by channel."}, []string{"channel"}),
		Errors:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "saathi_errors_total", Help: "Errors, by stage."}, []string{"stage"}),
		Unreachable: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "saathi_unreachable_total", Help: "Users found unreachable (blocked the bot), by channel."}, []string{"channel"}),
		DeadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "saathi_deadletters_total", Help: "Inbound messages set aside as dead letters after their retries, by channel."}, []string{"channel"}),
		Transition: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "saathi_transition_seconds", Help: "Time from taking an inbound message to committing its transition.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		Delivery: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "saathi_delivery_seconds", Help: "Time to deliver one transition's replies through its channel.",
			Buckets: prometheus.ExponentialBuckets(.001, 4, 8),
		}),
	}
	if reg != nil {
		reg.MustRegister(m.MessagesIn, m.MessagesOut, m.Duplicates, m.Errors, m.Unreachable, m.DeadLetters, m.Transition, m.Delivery)
	}
	return m
}
