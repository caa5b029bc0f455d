#!/usr/bin/env python3
"""Runs scenario requests in a WebKitGTK web view (test tooling for
pkg/conformance, not shipped).

Usage: webkit-run.py PAGE_URL SPECS_JSON RESULTS_JSON DATA_DIR

Opens PAGE_URL, defines the page script read from SPECS_JSON, makes each
request in turn and writes what script saw to RESULTS_JSON. The web process
prints every console message to stderr ("CONSOLE SECURITY ERROR ..."),
and the page logs "CORSDIAG-DONE <i>" there after request i:
WebKit does that only with enable-write-console-messages-to-stdout and a
persistent (non-ephemeral) website data manager, which is why this is a web
view of its own and not a WebDriver session (those are ephemeral). After the
last request it waits for its standard input to close: the reader closes it
once it has seen the last marker, so no console line is lost to a fixed pause.
"""
import json
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402


def main():
    page_url, specs_path, results_path, data_dir = sys.argv[1:5]
    with open(specs_path) as f:
        job = json.load(f)
    manager = WebKit2.WebsiteDataManager(base_data_directory=data_dir + "/data", base_cache_directory=data_dir + "/cache")
    # Everything but loopback goes to a proxy where nothing listens, so
    # nothing leaves the machine.
    proxy = WebKit2.NetworkProxySettings.new(job["proxy"], ["127.0.0.1", "localhost", "::1"])
    manager.set_network_proxy_settings(WebKit2.NetworkProxyMode.CUSTOM, proxy)
    # A page served over https with a test certificate (the mixed content
    # test): accept it, as a user who trusts that certificate would.
    if job.get("ignoreTLSErrors"):
        manager.set_tls_errors_policy(WebKit2.TLSErrorsPolicy.IGNORE)
    context = WebKit2.WebContext.new_with_website_data_manager(manager)
    context.set_cache_model(WebKit2.CacheModel.DOCUMENT_VIEWER)
    view = WebKit2.WebView.new_with_context(context)
    settings = view.get_settings()
    settings.set_enable_write_console_messages_to_stdout(True)
    settings.set_enable_javascript(True)
    # A window Xvfb maps, not a Gtk.OffscreenWindow: WebKit starts no
    # media load (<video>, <audio>: no loadstart, nothing sent) in a page
    # that is not in a window.
    win = Gtk.Window()
    win.add(view)
    win.show_all()

    results = []
    loop = GLib.MainLoop()
    state = {"i": 0}

    def fail(msg):
        sys.stderr.write("webkit-run: " + msg + "\n")
        loop.quit()
        sys.exit(1)

    def run_next():
        i = state["i"]
        if i >= len(job["specs"]):
            with open(results_path, "w") as f:
                json.dump({"version": version(), "results": results}, f)
            # The reader closes stdin once the last marker is in; a reader
            # that never sees it fails the run instead of losing lines.
            GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, lambda *_: loop.quit())
            GLib.timeout_add_seconds(job.get("markerTimeout", 15), lambda: fail("stdin still open: the reader did not see the last marker"))
            return
        spec = job["specs"][i]
        # The marker is logged by the page, in the web process that logs
        # the request's lines, so it is on stderr after them.
        body = ("try { return await window.__corsdiagRun(" + json.dumps(spec) + "); } "
                "finally { console.log('CORSDIAG-DONE " + str(i) + "'); }")
        view.call_async_javascript_function(body, -1, None, None, None, None, on_result, None)

    def on_result(v, res, _):
        try:
            value = v.call_async_javascript_function_finish(res)
            results.append(json.loads(value.to_json(0)))
        except GLib.Error as e:
            results.append({"ok": False, "error": "helper: " + e.message})
        state["i"] += 1
        run_next()

    def on_load(v, event):
        if event != WebKit2.LoadEvent.FINISHED:
            return
        v.disconnect(handler)
        define = "(() => { " + job["pageScript"] + " return 1; })()"
        v.evaluate_javascript(define, -1, None, None, None, on_defined, None)

    def on_defined(v, res, _):
        try:
            v.evaluate_javascript_finish(res)
        except GLib.Error as e:
            fail("installing the page script: " + e.message)
        run_next()

    def on_failed(v, event, uri, err):
        fail("loading %s: %s" % (uri, err.message))
        return True

    handler = view.connect("load-changed", on_load)
    view.connect("load-failed", on_failed)
    view.load_uri(page_url)
    GLib.timeout_add_seconds(job.get("timeout", 300), lambda: fail("timed out"))
    loop.run()


def version():
    return "%d.%d.%d" % (WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())


if __name__ == "__main__":
    main()
