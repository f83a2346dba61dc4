"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TaskPoller = exports.realClock = exports.vendorSchedule = void 0;
exports.scheduleWithin = scheduleWithin;
exports.delayBeforeCheck = delayBeforeCheck;
exports.isSettled = isSettled;
// One poller for all the tasks of a node run. Each task keeps imini's recommended schedule
// (first check 2 s after submit, then 2 s, 3 s, 5 s, 5 s, ...) measured from its own submit,
// but a single loop sleeps until the next task is due and checks every due task at once, so
// 50 tasks cost one timer, not 50, and each is noticed on its own schedule.
const n8n_workflow_1 = require("n8n-workflow");
const errors_1 = require("./errors");
/** imini's advice: first poll after 2 s, then back off 2 s / 3 s / 5 s. */
exports.vendorSchedule = { firstCheckMs: 2_000, intervalsMs: [2_000, 3_000, 5_000] };
/** Scales the vendor schedule to user bounds: a first check and a longest interval. */
function scheduleWithin(firstCheckMs, maxIntervalMs) {
    return {
        firstCheckMs,
        intervalsMs: exports.vendorSchedule.intervalsMs.map((ms) => Math.min(ms, maxIntervalMs)),
    };
}
/** Delay before check number `check` (1-based), counted from the previous check (or the submit). */
function delayBeforeCheck(schedule, check) {
    if (check <= 1)
        return schedule.firstCheckMs;
    const { intervalsMs } = schedule;
    return intervalsMs[Math.min(check - 2, intervalsMs.length - 1)];
}
function isSettled(task) {
    return task.status === 'succeeded' || task.status === 'failed';
}
exports.realClock = {
    now: () => Date.now(),
    sleep: async (ms, signal) => await (0, n8n_workflow_1.sleep)(ms, signal),
};
class TaskPoller {
    watches = new Set();
    clock;
    loop;
    wake;
    sleepingUntil = Number.POSITIVE_INFINITY;
    options;
    constructor(options) {
        this.options = options;
        this.clock = options.clock ?? exports.realClock;
    }
    /**
     * Resolves with the settled task (succeeded or failed), or rejects with TaskTimeoutError once
     * `timeoutMs` has passed since `submittedAt`, or with the error of a check that failed for good.
     */
    async waitFor(kind, taskId, timeoutMs, submittedAt = this.clock.now()) {
        return await new Promise((resolve, reject) => {
            const watch = {
                kind,
                taskId,
                startedAt: submittedAt,
                deadlineAt: submittedAt + timeoutMs,
                checks: 0,
                nextAt: Math.min(submittedAt + this.options.schedule.firstCheckMs, submittedAt + timeoutMs),
                resolve,
                reject,
            };
            if (this.options.signal?.aborted) {
                reject(this.options.signal.reason);
                return;
            }
            this.watches.add(watch);
            if (watch.nextAt < this.sleepingUntil)
                this.wake?.abort();
            this.loop ??= this.run().finally(() => {
                this.loop = undefined;
            });
        });
    }
    get pending() {
        return this.watches.size;
    }
    async run() {
        const cancel = this.options.signal;
        while (this.watches.size > 0) {
            if (cancel?.aborted)
                return this.rejectAll(cancel.reason);
            const now = this.clock.now();
            const due = [...this.watches].filter((w) => w.nextAt <= now);
            if (due.length > 0) {
                await this.checkAll(due);
                continue;
            }
            const nextAt = Math.min(...[...this.watches].map((w) => w.nextAt));
            const wake = new AbortController();
            const onCancel = () => wake.abort();
            cancel?.addEventListener('abort', onCancel, { once: true });
            this.wake = wake;
            this.sleepingUntil = nextAt;
            try {
                await this.clock.sleep(nextAt - now, wake.signal);
            }
            catch {
                // woken early: a new task is due sooner, or the execution was cancelled (checked above)
            }
            finally {
                cancel?.removeEventListener('abort', onCancel);
                this.wake = undefined;
                this.sleepingUntil = Number.POSITIVE_INFINITY;
            }
        }
    }
    async checkAll(due) {
        const queue = [...due];
        const workers = Array.from({ length: Math.min(this.options.concurrency ?? 8, queue.length) }, async () => {
            for (let watch = queue.shift(); watch; watch = queue.shift())
                await this.check(watch);
        });
        await Promise.all(workers);
    }
    async check(watch) {
        let task;
        try {
            task = await this.options.fetchTask(watch.kind, watch.taskId);
        }
        catch (error) {
            this.watches.delete(watch);
            watch.reject(this.options.signal?.aborted ? this.options.signal.reason : error);
            return;
        }
        watch.checks++;
        this.options.onCheck?.(task);
        const now = this.clock.now();
        if (isSettled(task)) {
            this.watches.delete(watch);
            watch.resolve(task);
        }
        else if (now >= watch.deadlineAt) {
            this.watches.delete(watch);
            watch.reject(new errors_1.TaskTimeoutError(watch.kind, task, now - watch.startedAt));
        }
        else {
            // The last check lands on the deadline itself, so a task that finishes just in time counts.
            watch.nextAt = Math.min(now + delayBeforeCheck(this.options.schedule, watch.checks + 1), watch.deadlineAt);
        }
    }
    rejectAll(reason) {
        for (const watch of this.watches)
            watch.reject(reason);
        this.watches.clear();
    }
}
exports.TaskPoller = TaskPoller;
