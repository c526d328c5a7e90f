/** Rule: a task names exactly one of `instance_type` and `min_gpu_memory_gb` (the SDK's rule). */
import { diagnostic } from "../../diagnostics/diagnostic.ts";
import { spanAt } from "../span-map.ts";
import { type Check, has } from "./check.ts";

export const checkInstanceSpec: Check = (task, spans) => {
  const both = has(task, "instance_type") && has(task, "min_gpu_memory_gb");
  if (both) {
    return [
      diagnostic(
        "IR006",
        "`instance_type` and `min_gpu_memory_gb` both given: name exactly one",
        spanAt(spans, ["min_gpu_memory_gb"], true),
        {
          notes: [{ message: "`instance_type` is given here", span: spanAt(spans, ["instance_type"], true) }],
          suggestions: [
            { message: "remove `min_gpu_memory_gb`, or remove `instance_type` to let flow choose" },
          ],
        },
      ),
    ];
  }
  if (!has(task, "instance_type") && !has(task, "min_gpu_memory_gb")) {
    return [
      diagnostic(
        "IR006",
        "no instance requirement: give `instance_type` or `min_gpu_memory_gb`",
        spanAt(spans, []),
        {
          suggestions: [
            { message: "add a line such as `instance_type: 8xh100` (see `flow instance-types`)" },
          ],
        },
      ),
    ];
  }
  return [];
};
