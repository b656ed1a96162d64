"""Jupyter's own conformance tests (jupyter_kernel_test) run against the workbook's TypeScript kernel.

Each sample below is a cell a notebook could hold; the base class sends it over the real ZeroMQ protocol and
validates every message against the v5 message schemas. Run with Debian's Python (which has jupyter_client):

    /usr/bin/python3 -m unittest -v tests/kernel/kernel_test.py

The kernel is the one registered as `tslab` (override with SIMCLR_KERNEL_NAME); tests/kernel/protocol.test.ts
registers this checkout's wrapper under that name in a temporary JUPYTER_PATH first.
"""
import os
import unittest

import jupyter_kernel_test

# A cell's first run compiles TypeScript and may load tfjs and sharp: allow more than the default 15 s.
jupyter_kernel_test.TIMEOUT = 60

# Tiny but valid 1x1 PNG (signature, IHDR, IDAT, IEND), so the display test needs no image library.
ONE_PIXEL_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class TypeScriptKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("SIMCLR_KERNEL_NAME", "tslab")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world");'
    code_stderr = 'console.error("something to stderr");'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"ab" + "c"', "result": "'abc'"},  # util.inspect quotes strings, like a REPL
        {"code": "const o = { a: 1, b: [2, 3] }; o", "result": "{ a: 1, b: [ 2, 3 ] }"},
        {
            "code": "({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>rich</b>' }; } })",
            "mime": "text/html",
            "result": "<b>rich</b>",
        },
    ]

    code_display_data = [
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>bold</b>");', "mime": "text/html"},
        {
            "code": 'import * as tslab from "tslab";\n'
            f'tslab.display.png(Buffer.from("{ONE_PIXEL_PNG}", "base64"));',
            "mime": "image/png",
        },
    ]

    code_generate_error = 'throw new Error("boom");'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "const someLongName = 1;\nsomeLong", "matches": {"someLongName"}},
    ]

    code_inspect_sample = "Math.max"

    complete_code_samples = ["1 + 2", "const x = 1;", "function f() { return 1; }"]
    incomplete_code_samples = ["function f() {", "const a = [1, 2,", "if (true) {"]

    def test_kernel_info_versions(self):
        """language_info.version is the TypeScript that compiles cells; the reply says so with status ok."""
        self.flush_channels()
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=jupyter_kernel_test.TIMEOUT)
        content = reply["content"]
        self.assertEqual(content["status"], "ok")
        self.assertEqual(content["implementation"], "tslab")
        self.assertRegex(content["language_info"]["version"], r"^5\.\d+\.\d+")
        self.assertEqual(content["language_info"]["mimetype"], "text/typescript")

    def test_execute_result_counts(self):
        """execute_result carries the same execution_count as execute_input and execute_reply."""
        self.flush_channels()
        reply, outputs = self.execute_helper("40 + 2")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")
        self.assertEqual(results[0]["content"]["execution_count"], reply["content"]["execution_count"])

    def test_error_fields(self):
        """A thrown error becomes one `error` message and an error reply, both with ename/evalue/traceback."""
        self.flush_channels()
        reply, outputs = self.execute_helper('throw new RangeError("out of range: 7");')
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "RangeError")
        self.assertEqual(reply["content"]["evalue"], "out of range: 7")
        self.assertEqual([m["msg_type"] for m in outputs], ["error"])
        self.assertEqual(outputs[0]["content"]["ename"], "RangeError")
        self.assertTrue(any("out of range: 7" in line for line in outputs[0]["content"]["traceback"]))

    def test_compile_error(self):
        """A type error is reported as an error (not as stderr text) and the kernel keeps going."""
        self.flush_channels()
        reply, outputs = self.execute_helper("const n: number = 'not a number';")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "TypeScriptError")
        self.assertIn("not assignable", reply["content"]["evalue"])
        reply, outputs = self.execute_helper("1 + 1")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_silent(self):
        """silent=True: no outputs and no new execution count."""
        self.flush_channels()
        first, _ = self.execute_helper("1")
        reply, outputs = self.execute_helper('console.log("quiet"); 5', silent=True)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(outputs, [])
        after, _ = self.execute_helper("2")
        self.assertEqual(after["content"]["execution_count"], first["content"]["execution_count"] + 1)

    def test_history_and_comm_info(self):
        """Unsupported history is declared with an empty ok reply; comm_info answers with its own type."""
        self.flush_channels()
        msg_id = self.kc.history(hist_access_type="tail", n=3, output=False, raw=True)
        reply = self.get_non_kernel_info_reply(timeout=jupyter_kernel_test.TIMEOUT)
        jupyter_kernel_test.validate_message(reply, "history_reply", msg_id)
        self.assertEqual(reply["content"]["history"], [])
        msg_id = self.kc.comm_info()
        reply = self.get_non_kernel_info_reply(timeout=jupyter_kernel_test.TIMEOUT)
        jupyter_kernel_test.validate_message(reply, "comm_info_reply", msg_id)
        self.assertEqual(reply["content"]["comms"], {})


if __name__ == "__main__":
    unittest.main()
