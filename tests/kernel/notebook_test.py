"""A notebook executed by nbclient (what `jupyter nbconvert --execute` and notebooks/run-all.sh use) on the kernel.

Checks what ends up in the saved .ipynb: Out[n] results with execution counts, rich tensor outputs, streams,
error outputs with ename/evalue, and that cells after an allowed error still run.
Run with Debian's Python: /usr/bin/python3 -m unittest -v tests/kernel/notebook_test.py
"""
import os
import unittest

import nbformat
from nbclient import NotebookClient

KERNEL_NAME = os.environ.get("SIMCLR_KERNEL_NAME", "tslab")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class NotebookExecutionTests(unittest.TestCase):
    def test_outputs_saved_in_the_notebook(self):
        rich = os.path.exists(os.path.join(REPO, "lib", "dist", "display", "index.js"))
        cells = [
            "import * as tf from '@tensorflow/tfjs';\nconst ready = await tf.setBackend('cpu');",
            "tf.tensor2d([[1, 2], [3, 4]])",
            'console.log("hi");\n1 + 1',
            'throw new Error("expected failure");',
            "'after the error'",
            # a live chart: nbclient applies update_display_data, so the saved output is the last state
            "import { showLive, lineChart } from 'simclr-workbench';\n"
            "const live = showLive(lineChart([{ name: 'loss', y: [1] }]), { minIntervalMs: 0 });\n"
            "for (let n = 2; n <= 5; n++) { await new Promise((r) => setTimeout(r, 5)); live.update(lineChart([{ name: 'loss', y: Array(n).fill(1) }])); }\n"
            "live.close();",
        ]
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
        client = NotebookClient(
            nb,
            kernel_name=KERNEL_NAME,
            timeout=120,
            allow_errors=True,  # the error cell is deliberate: later cells must still run
            resources={"metadata": {"path": os.path.join(REPO, "notebooks")}},
        )
        client.execute()
        outputs = [cell.outputs for cell in nb.cells]
        counts = [cell.execution_count for cell in nb.cells]
        self.assertEqual(counts, [1, 2, 3, 4, 5, 6])

        self.assertEqual(outputs[0], [])
        # (tfjs may print its "install tfjs-node" banner to stderr at the first op)
        (tensor,) = [output for output in outputs[1] if output.output_type != "stream"]
        self.assertEqual((tensor.output_type, tensor.execution_count), ("execute_result", 2))
        self.assertTrue(tensor.data["text/plain"].startswith("Tensor float32 [2, 2]") or not rich, tensor.data)
        if rich:
            self.assertIn("<table", tensor.data["text/html"])

        stream, result = outputs[2]
        self.assertEqual((stream.output_type, stream.name, stream.text), ("stream", "stdout", "hi\n"))
        self.assertEqual((result.output_type, result.data["text/plain"]), ("execute_result", "2"))

        (error,) = outputs[3]
        self.assertEqual((error.output_type, error.ename, error.evalue), ("error", "Error", "expected failure"))

        (after,) = outputs[4]
        self.assertEqual(after.data["text/plain"], "'after the error'")

        if rich:
            (chart,) = [output for output in outputs[5] if output.output_type == "display_data"]
            self.assertEqual(len(chart.data["application/vnd.plotly.v1+json"]["data"][0]["y"]), 5)
            self.assertIn("text/html", chart.data)


if __name__ == "__main__":
    unittest.main()
