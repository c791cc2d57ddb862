"""A headless Chromium driven through its DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages ended by a NUL byte, commands written to the browser's fd 3, answers read from its
fd 4), with the standard library alone: no Python package nor driver binary to install.

A page is clicked as a user clicks it: the mouse is moved to the middle of an element that is
visible there (the element ``document.elementFromPoint`` finds at that point), pressed and released.
"""
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

#: Debian's chromium package.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1600,1000"]


class BrowserError(RuntimeError):
    pass


class Chromium:
    """``with Chromium() as browser: page = browser.open(url)``: one headless browser, a fresh
    profile in a temporary directory, ended (and the profile removed) on exit."""

    def __init__(self, timeout=30.0):
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="chromium-profile-")
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()

        def on_fds_3_and_4():
            # Moved out of the way first: a pipe's own descriptor may be 3 or 4 already.
            read, write = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, answers_write))
            os.dup2(read, 3)
            os.dup2(write, 4)

        self._process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self._profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=on_fds_3_and_4)
        os.close(commands_read)
        os.close(answers_write)
        self._buffer = b""
        self._next_id = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.send("Browser.close")
            self._process.wait(timeout=10)
        except (BrowserError, OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        for fd in (self._commands, self._answers):
            os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def send(self, method, session=None, **params):
        """The result of one DevTools command (events that arrive meanwhile are dropped)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer["result"]

    def _read(self):
        while b"\0" not in self._buffer:
            if not select.select([self._answers], [], [], self.timeout)[0]:
                raise BrowserError(f"chromium sent nothing for {self.timeout} s")
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise BrowserError(f"chromium closed its pipe (exit code {self._process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url):
        """A new tab showing `url`, once its document has loaded."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        page = Page(self, self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"])
        page.send("Page.navigate", url=url)
        page.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")
        return page


class Page:
    """One tab: run JavaScript in it, wait for a condition, click an element."""

    def __init__(self, browser, session):
        self.browser, self.session = browser, session

    def send(self, method, **params):
        return self.browser.send(method, session=self.session, **params)

    def evaluate(self, expression):
        """The value of a JavaScript expression (JSON-serialisable), evaluated in the page."""
        answer = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in answer:
            raise BrowserError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def wait_for(self, condition, what=None):
        """Poll the JavaScript `condition` until it is true (BrowserError after the timeout)."""
        deadline = time.monotonic() + self.browser.timeout
        while not self.evaluate(f"Boolean({condition})"):
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for {what or condition}")
            time.sleep(0.05)

    def click(self, element, what):
        """Click, with the mouse, the element the JavaScript expression `element` returns: scrolled
        into view, once its place has stopped moving (the report's layout settles as its fonts
        and icons load, and its links have CSS transitions), and refused unless it is the element
        (or inside it) at its own middle."""
        point = self.evaluate(f"""(async () => {{
            const element = {element};
            if (!element) return null;
            element.scrollIntoView({{block: "center", inline: "center"}});
            const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
            let box = element.getBoundingClientRect(), last = null;
            for (let i = 0; i < 100 && JSON.stringify(box) !== JSON.stringify(last); i++) {{
                await frame();
                last = box;
                box = element.getBoundingClientRect();
            }}
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            const hit = document.elementFromPoint(x, y);
            return hit && (element.contains(hit) || hit.contains(element)) ? [x, y] : "hidden";
        }})()""")
        if not isinstance(point, list):
            raise BrowserError(f"cannot click {what}: {'no such element' if point is None else 'not visible'}")
        x, y = point
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
