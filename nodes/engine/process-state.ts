// The only state of this package that outlives an execution and is shared between executions:
// the accounts of this n8n process (in queue mode: of this worker), each with its rate quota,
// task pace and delivery book (accounts.ts). Keyed by a salted fingerprint of Base URL and key,
// bounded and self-emptying; nothing else in nodes/ keeps module-level state
// (test/layout/layers.test.ts checks that). Tests reset it with `accounts.forgetIdle()`.
import { AccountRegistry } from './accounts';
import { realClock } from './clock';

export const accounts = new AccountRegistry({ clock: realClock, random: Math.random });
