"""The seed's backend, for side-by-side benchmarks: Flask + prometheus_client.

Same surface as ours where it matters: GET / says hello, GET /metrics serves the
Prometheus text format, and every request is counted and timed by method,
endpoint and status, as prometheus_client users instrument Flask.
Run: gunicorn --workers 1 --bind 127.0.0.1:PORT --chdir bench/servers flask_app:app
"""
import time

from flask import Flask, Response, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

app = Flask(__name__)

REQUESTS = Counter(
    "http_requests_total", "HTTP requests", ["method", "route", "status_code"]
)
DURATION = Histogram(
    "http_request_duration_seconds", "HTTP request duration", ["method", "route", "status_code"]
)


@app.before_request
def start_timer():
    g.start = time.perf_counter()


@app.after_request
def record(response):
    route = request.url_rule.rule if request.url_rule else "unmatched"
    labels = (request.method, route, str(response.status_code))
    REQUESTS.labels(*labels).inc()
    DURATION.labels(*labels).observe(time.perf_counter() - g.start)
    return response


@app.get("/")
def hello():
    return jsonify(service="backend", version="seed", status="ok", message="Hello from Flask")


@app.get("/metrics")
def metrics():
    return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)
