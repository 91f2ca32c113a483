// The environment variable that carries a check's inputs to the exercise (see kit.ts).
export const TASK_ENV = 'PROCBOOK_EXERCISE';
