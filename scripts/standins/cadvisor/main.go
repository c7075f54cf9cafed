// Command cadvisor is the cAdvisor stand-in: a small main package around
// cAdvisor's own library, wired the way the upstream cmd/cadvisor.go wires it.
//
// Why it exists: no container registry is reachable where this project is
// tested, so gcr.io/cadvisor/cadvisor cannot be pulled, and upstream's main
// package lives in the separate module github.com/google/cadvisor/cmd, which the
// Go module proxy does not serve (404 for every version). The library modules
// (github.com/google/cadvisor and github.com/google/cadvisor/lib) are served, so
// this file builds the same manager, the same Prometheus collectors and the same
// metric names and labels (name, id, image, container_label_*) from them.
// Left out: the web UI, the /api/ handlers, auth, pprof and storage drivers.
// scripts/standins/cadvisor.sh builds it and imports local/standin/cadvisor.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/google/cadvisor/lib/cache/memory"
	"github.com/google/cadvisor/lib/container"
	"github.com/google/cadvisor/lib/manager"
	"github.com/google/cadvisor/lib/metrics"
	info "github.com/google/cadvisor/lib/model"
	"github.com/google/cadvisor/lib/utils/sysfs"
	"github.com/google/cadvisor/lib/version"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"

	// The Docker container provider (upstream registers it, with containerd,
	// CRI-O and Podman, from cmd/internal/container/install). The raw cgroup
	// provider is always registered by manager.Start. The library itself
	// registers -docker_only, -docker, -housekeeping_interval,
	// -max_housekeeping_interval, -allow_dynamic_housekeeping and friends.
	_ "github.com/google/cadvisor/container/docker/install"
)

// Flags with the names and defaults of upstream's cmd/cadvisor.go.
var (
	argIP                  = flag.String("listen_ip", "", "IP to listen on, defaults to all IPs")
	argPort                = flag.Int("port", 8080, "port to listen")
	prometheusEndpoint     = flag.String("prometheus_endpoint", "/metrics", "Endpoint to expose Prometheus metrics on")
	storeContainerLabels   = flag.Bool("store_container_labels", true, "convert container labels and environment variables into labels on prometheus metrics for each container. If false, only the container name, first alias, image name and whitelisted labels are exported")
	whitelistedLabels      = flag.String("whitelisted_container_labels", "", "comma separated list of container labels to export when -store_container_labels=false")
	envMetadataWhiteList   = flag.String("env_metadata_whitelist", "", "comma-separated list of environment variable key prefixes to collect for containers")
	rawCgroupPrefixAllowed = flag.String("raw_cgroup_prefix_whitelist", "", "comma-separated list of cgroup path prefixes collected even when -docker_only is set")
	storageDuration        = flag.Duration("storage_duration", 2*time.Minute, "How long to keep data stored in memory")
	versionFlag            = flag.Bool("version", false, "print cAdvisor version and exit")

	// Upstream's default: everything but these (the expensive or niche ones),
	// plus perf_event: this stand-in has no -perf_events_config to drive it.
	ignoreMetrics = container.MetricSet{
		container.PerfMetrics: {}, container.MemoryNumaMetrics: {}, container.NetworkTcpUsageMetrics: {},
		container.NetworkUdpUsageMetrics: {}, container.NetworkAdvancedTcpUsageMetrics: {},
		container.ProcessSchedulerMetrics: {}, container.ProcessMetrics: {}, container.HugetlbUsageMetrics: {},
		container.ReferencedMemoryMetrics: {}, container.CPUTopologyMetrics: {}, container.ResctrlMetrics: {},
		container.CPUSetMetrics: {},
	}
	enableMetrics = container.MetricSet{}
)

func main() {
	all := container.AllMetrics.String()
	flag.Var(&ignoreMetrics, "disable_metrics", "comma-separated list of `metrics` to be disabled. Options are "+all)
	flag.Var(&enableMetrics, "enable_metrics", "comma-separated list of `metrics` to be enabled. If set, overrides -disable_metrics. Options are "+all)
	klog.InitFlags(nil) // -logtostderr (default true), -v...
	_ = flag.Set("v", "2")
	defer klog.Flush()
	flag.Parse()
	if *versionFlag {
		fmt.Printf("cAdvisor stand-in on library version %s\n", version.Info["version"])
		return
	}

	included := container.AllMetrics.Difference(ignoreMetrics)
	if len(enableMetrics) > 0 {
		included = enableMetrics
	}
	klog.V(1).Infof("enabled metrics: %s", included)

	// Upstream passes strings.Split results ([""] when empty): the raw factory reads [0].
	mgr, err := manager.New(memory.New(*storageDuration, nil), sysfs.NewRealSysFs(), manager.HousekeepingConfigFlags,
		included, strings.Split(*rawCgroupPrefixAllowed, ","), strings.Split(*envMetadataWhiteList, ","), "", 0)
	if err != nil {
		klog.Fatalf("Failed to create a manager: %s", err)
	}

	labels := metrics.DefaultContainerLabels
	if !*storeContainerLabels {
		labels = metrics.BaseContainerLabels(strings.Split(*whitelistedLabels, ","))
	}
	// As upstream's RegisterPrometheusHandler: containers, machine, Go and process.
	registry := prometheus.NewRegistry()
	registry.MustRegister(
		metrics.NewPrometheusCollector(mgr, labels, included, clock.RealClock{},
			info.RequestOptions{IdType: info.TypeName, Count: 1, Recursive: true}),
		metrics.NewPrometheusMachineCollector(mgr, included),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)

	if err := mgr.Start(); err != nil {
		klog.Fatalf("Failed to start manager: %v", err)
	}
	go func() { // Stop the manager on SIGINT/SIGTERM, as upstream does.
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt, syscall.SIGTERM)
		sig := <-c
		if err := mgr.Stop(); err != nil {
			klog.Errorf("Failed to stop container manager: %v", err)
		}
		klog.Infof("Exiting given signal: %v", sig)
		os.Exit(0)
	}()

	mux := http.NewServeMux()
	mux.Handle(*prometheusEndpoint, promhttp.HandlerFor(registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	addr := fmt.Sprintf("%s:%d", *argIP, *argPort)
	klog.V(1).Infof("Starting cAdvisor stand-in (library %s) on %s", version.Info["version"], addr)
	klog.Fatal(http.ListenAndServe(addr, mux))
}
