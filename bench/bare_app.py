"""The baseline: a bare Flask app answering a form POST with a fixed USSD screen."""

from flask import Flask, Response, request

app = Flask(__name__)


@app.post("/webhooks/africastalking/ussd")
@app.post("/webhooks/africastalking/sms")
def answer() -> Response:
    return Response("CON " + request.form.get("text", ""), mimetype="text/plain")


@app.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")
