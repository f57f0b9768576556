// The connection contract: everything a module may do to a target goes through it.
// Implementations: local (child processes), ssh (ssh2, connection/ssh/), docker exec.

export interface ExecOptions {
  /** Bytes written to the command's standard input. */
  stdin?: string | Buffer;
  /** Extra environment for this command (exported before it runs). */
  env?: Record<string, string>;
  /** Working directory on the target. */
  cwd?: string;
  /** Kill the command after this many milliseconds (rc 124 is reported). */
  timeoutMs?: number;
  /** Privilege escalation for this command (overrides the connection's default). */
  become?: BecomeOptions;
  /** Receives the -vvv connection lines for this command (`<host> SSH: EXEC ...`). */
  trace?: (message: string) => void;
  /** no_log: the -vvv lines show neither the command (it may carry arguments) nor its output. */
  noLog?: boolean;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** Raw stdout bytes, for binary reads (slurp, checksums of binary files). */
  stdoutBytes: Buffer;
}

export interface BecomeOptions {
  become: boolean;
  user?: string; // default root
  method?: string; // sudo | su
  flags?: string;
  password?: string;
  /** become_exe: the program run instead of the method's name. */
  exe?: string;
  /** become_allow_same_user: wrap even when already the become user (root sudo to root). */
  allowSameUser?: boolean;
}

export interface Connection {
  /** inventory_hostname this connection serves. */
  readonly host: string;
  readonly transport: 'local' | 'ssh' | 'docker';
  /** Runs a POSIX sh script on the target. Never throws for a non-zero rc. */
  exec(script: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Writes bytes to a path on the target (not atomic by itself: see modules/common/write.ts). */
  put(content: Buffer | string, remotePath: string): Promise<void>;
  /** Reads a file from the target. Throws ConnectionError-like TsibleError when missing. */
  fetch(remotePath: string): Promise<Buffer>;
  close(): Promise<void>;
  /** Prints the -vvv line a task shows when it first uses the connection (ESTABLISH ...). */
  announce?(trace: (message: string) => void): void;
}

export interface ConnectionOptions {
  host: string;
  address?: string;
  port?: number;
  user?: string;
  password?: string;
  privateKeyFile?: string;
  timeoutSeconds?: number;
  hostKeyChecking?: boolean;
  become?: BecomeOptions;
  environment?: Record<string, string>;
  /** docker container name for the docker connection (ansible_docker_host; else address). */
  container?: string;
  /** ansible_docker_extra_args: docker CLI flags naming the engine (-H, --tls...). */
  dockerExtraArgs?: string;
  /** OpenSSH arguments: ssh_args, ssh_common_args, ssh_extra_args (Ansible's order of precedence). */
  sshArgs?: string;
  sshCommonArgs?: string;
  sshExtraArgs?: string;
  /** Reconnection attempts after a failed connect (ansible_ssh_retries). */
  retries?: number;
  /** Passphrase of an encrypted private key (otherwise the password is tried, as paramiko does). */
  privateKeyPassphrase?: string;
  /** The user as Ansible knows it (ansible_user / remote_user / -u), for the -vvv lines. */
  userAsGiven?: string;
}
