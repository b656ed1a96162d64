"""The workbook kernel's behaviour through the real protocol (jupyter_client): interrupts, errors, rich results.

What a notebook user relies on beyond message conformance (kernel_test.py):
- interrupting a cell that loops over `await new Promise(r => setImmediate(r))` (the training loop's pattern)
  ends that cell with an error reply, the loop really stops, and the next cell runs;
- the same for a synchronous `while (true) {}` and for an interrupt_request on the control channel;
- a cell that throws (now or later, from a timer) leaves the kernel usable; an error thrown by a timer after its
  cell finished shows on the next cell's stderr; `process.exit()` in a cell fails the cell and the kernel lives on;
- a tensor as a cell's last value is shown as text + HTML table or PNG (lib/display, via the built library), and
  the library's show()/showLive() send plotly charts (display_data, then update_display_data for a display_id).

Run with Debian's Python: /usr/bin/python3 -m unittest -v tests/kernel/behaviour_test.py
"""
import base64
import os
import time
import unittest
from queue import Empty

from jupyter_client.manager import start_new_kernel
from jupyter_client.utils import run_sync

KERNEL_NAME = os.environ.get("SIMCLR_KERNEL_NAME", "tslab")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 60  # a first cell compiles TypeScript and may load tfjs


class KernelBehaviourTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # the kernel starts in notebooks/, as for a workbook notebook
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL_NAME, cwd=os.path.join(REPO, "notebooks"))

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=TIMEOUT):
        """Executes `code`; returns (reply content, [(msg_type, content)] of its IOPub outputs)."""
        msg_id = self.kc.execute(code)
        return self.collect(msg_id, timeout)

    def collect(self, msg_id, timeout=TIMEOUT):
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        outputs = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            if msg["msg_type"] not in ("status", "execute_input"):
                outputs.append((msg["msg_type"], msg["content"]))
        return reply["content"], outputs

    def result_text(self, code):
        reply, outputs = self.run_cell(code)
        self.assertEqual(reply["status"], "ok", reply)
        results = [c["data"] for t, c in outputs if t == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]["text/plain"]

    def wait_until_busy(self, msg_id, seconds=TIMEOUT):
        """Waits for the cell's execute_input, then lets it loop for a moment."""
        deadline = time.time() + seconds
        try:
            while time.time() < deadline:
                msg = self.kc.get_iopub_msg(timeout=seconds)
                if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                    time.sleep(1.0)
                    return
        except Empty:
            pass
        self.km.interrupt_kernel()  # do not leave a spinning cell to the next test
        self.fail("no execute_input for the cell")

    def assert_interrupted(self, msg_id):
        reply, outputs = self.collect(msg_id, timeout=20)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "Interrupted")
        self.assertEqual([t for t, _ in outputs if t == "error"], ["error"])

    def test_interrupt_async_loop_stops_it(self):
        msg_id = self.kc.execute(
            "(globalThis as any).ticks = 0;\n"
            "while (true) { (globalThis as any).ticks++; await new Promise((r) => setImmediate(r)); }"
        )
        self.wait_until_busy(msg_id)
        self.km.interrupt_kernel()  # SIGINT, as Jupyter's interrupt button
        self.assert_interrupted(msg_id)
        ticks = int(self.result_text("(globalThis as any).ticks"))
        self.assertGreater(ticks, 100, "the loop ran before the interrupt")
        # the loop must not go on in the background: no new ticks while this cell waits
        text = self.result_text(
            "const before = (globalThis as any).ticks;\n"
            "await new Promise((r) => setTimeout(r, 300));\n"
            "(globalThis as any).ticks - before"
        )
        self.assertEqual(text, "0")

    def test_interrupt_sync_loop(self):
        msg_id = self.kc.execute("let spins = 0; while (true) { spins++; }")
        self.wait_until_busy(msg_id)
        self.km.interrupt_kernel()
        self.assert_interrupted(msg_id)
        self.assertEqual(self.result_text("6 * 7"), "42")

    def test_interrupt_request_on_control_channel(self):
        msg_id = self.kc.execute("while (true) { await new Promise((r) => setTimeout(r, 1)); }")
        self.wait_until_busy(msg_id)
        request = self.kc.session.msg("interrupt_request", {})
        self.kc.control_channel.send(request)
        reply = run_sync(self.kc.control_channel.get_msg)(timeout=20)
        self.assertEqual(reply["msg_type"], "interrupt_reply")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assert_interrupted(msg_id)
        self.assertEqual(self.result_text('"next"'), "'next'")

    def test_errors_leave_the_kernel_usable(self):
        reply, outputs = self.run_cell('const x: number = 1;\nthrow new TypeError("bad input: " + x);')
        self.assertEqual((reply["status"], reply["ename"], reply["evalue"]), ("error", "TypeError", "bad input: 1"))
        self.assertTrue(reply["traceback"][0].startswith("TypeError: bad input: 1"))
        self.assertEqual(self.result_text("[1, 2].map((v) => v * 2)"), "[ 2, 4 ]")
        # an exception thrown later from a timer is reported on stderr (of the cell running then), and the kernel
        # lives on
        reply, outputs = self.run_cell(
            'setTimeout(() => { throw new Error("late failure"); }, 10);\n'
            "await new Promise((r) => setTimeout(r, 300));"
        )
        self.assertEqual(reply["status"], "ok")
        stderr = "".join(c["text"] for t, c in outputs if t == "stream" and c["name"] == "stderr")
        self.assertIn("late failure", stderr)
        self.assertEqual(self.result_text("'still here'"), "'still here'")

    def stderr_of(self, outputs):
        return "".join(c["text"] for t, c in outputs if t == "stream" and c["name"] == "stderr")

    def test_error_from_a_timer_after_its_cell_finished_shows_in_the_next_cell(self):
        reply, outputs = self.run_cell('setTimeout(() => { throw new RangeError("after the cell"); }, 50);\n"scheduled"')
        self.assertEqual(reply["status"], "ok")
        self.assertNotIn("after the cell", self.stderr_of(outputs))
        time.sleep(0.5)  # the timer fires while no cell runs
        reply, outputs = self.run_cell("1 + 1")
        self.assertEqual(reply["status"], "ok")
        stderr = self.stderr_of(outputs)
        self.assertIn("RangeError: after the cell", stderr)
        self.assertIn("Uncaught exception after cell [", stderr)
        # reported once
        _, outputs = self.run_cell("2 + 2")
        self.assertNotIn("after the cell", self.stderr_of(outputs))
        # an unhandled rejection, likewise
        self.run_cell('Promise.reject(new Error("nobody awaited me")); "ok"')
        time.sleep(0.3)
        _, outputs = self.run_cell("3")
        self.assertIn("nobody awaited me", self.stderr_of(outputs))

    def test_process_exit_in_a_cell_fails_the_cell_and_the_kernel_lives(self):
        reply, outputs = self.run_cell('console.log("before");\nprocess.exit(1);\nconsole.log("after");')
        self.assertEqual((reply["status"], reply["ename"]), ("error", "ProcessExitError"), reply)
        self.assertIn("process.exit(1) was called", reply["evalue"])
        errors = [c for t, c in outputs if t == "error"]
        self.assertEqual(len(errors), 1)
        stdout = "".join(c["text"] for t, c in outputs if t == "stream" and c["name"] == "stdout")
        self.assertEqual(stdout, "before\n")
        self.assertTrue(self.km.is_alive())
        self.assertEqual(self.result_text("'alive'"), "'alive'")

    def test_tensor_results_are_rich(self):
        if not os.path.exists(os.path.join(REPO, "lib", "dist", "display", "index.js")):
            self.skipTest("lib/dist/display is not built (npm run build)")
        reply, _ = self.run_cell("import * as tf from '@tensorflow/tfjs';\nawait tf.setBackend('cpu');")
        self.assertEqual(reply["status"], "ok", reply)
        reply, outputs = self.run_cell("tf.tensor2d([[1, 2], [3, 4]])")
        data = [c["data"] for t, c in outputs if t == "execute_result"][0]
        self.assertTrue(data["text/plain"].startswith("Tensor float32 [2, 2] (4 values)"), data["text/plain"])
        self.assertEqual(data["text/html"].count("<td"), 4)
        reply, outputs = self.run_cell("tf.fill([2, 16, 16, 3], 0.25)")
        data = [c["data"] for t, c in outputs if t == "execute_result"][0]
        self.assertEqual(base64.b64decode(data["image/png"])[:8], b"\x89PNG\r\n\x1a\n")
        # display() from the library sends a display_data from inside the cell
        reply, outputs = self.run_cell(
            "import { display } from 'simclr-workbench/dist/display';\nawait display(tf.ones([3, 3]));"
        )
        self.assertEqual(reply["status"], "ok", reply)
        shown = [c["data"] for t, c in outputs if t == "display_data"]
        self.assertEqual(len(shown), 1)
        self.assertIn("text/html", shown[0])
        # a plain object stays util.inspect text
        self.assertEqual(self.result_text("({ a: 1 })"), "{ a: 1 }")

    def test_charts_are_plotly_bundles_and_live_charts_update_in_place(self):
        if not os.path.exists(os.path.join(REPO, "lib", "dist", "display", "index.js")):
            self.skipTest("lib/dist/display is not built (npm run build)")
        reply, outputs = self.run_cell(
            "import { show, showLive, lineChart, resetPlotlyLoader } from 'simclr-workbench/dist/display';\n"
            "resetPlotlyLoader();\n"
            "show(lineChart([{ name: 'loss', y: [3, 2, 1] }]));\n"
            "show(lineChart([{ name: 'loss', y: [3, 2] }]));"
        )
        self.assertEqual(reply["status"], "ok", reply)
        shown = [c["data"] for t, c in outputs if t == "display_data"]
        self.assertEqual(len(shown), 2)
        plotly = "application/vnd.plotly.v1+json"
        self.assertEqual(shown[0][plotly]["data"][0]["y"], [3, 2, 1])
        self.assertIn("DecompressionStream", shown[0]["text/html"])  # plotly.js, once per notebook
        self.assertNotIn("DecompressionStream", shown[1]["text/html"])
        reply, outputs = self.run_cell(
            "const live = showLive(lineChart([{ name: 'loss', y: [1] }]), { minIntervalMs: 0 });\n"
            "for (let n = 2; n <= 4; n++) { await new Promise((r) => setTimeout(r, 5)); live.update(lineChart([{ name: 'loss', y: Array(n).fill(1) }])); }\n"
            "live.close();"
        )
        self.assertEqual(reply["status"], "ok", reply)
        kinds = [t for t, c in outputs if t in ("display_data", "update_display_data")]
        self.assertEqual(kinds, ["display_data"] + ["update_display_data"] * 4)
        ids = {c["transient"]["display_id"] for t, c in outputs if t in ("display_data", "update_display_data")}
        self.assertEqual(len(ids), 1)
        last = [c["data"] for t, c in outputs if t == "update_display_data"][-1]
        self.assertEqual(len(last[plotly]["data"][0]["y"]), 4)


if __name__ == "__main__":
    unittest.main()
