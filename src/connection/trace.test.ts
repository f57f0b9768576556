// The -vvv line pieces written as Python writes them (repr of bytes, shlex.quote) and ssh's
// arguments in the order Ansible's ssh plugin builds them.
import { pyBytesRepr, pyShellQuote, sshCommandArgs } from './trace';

test("repr() of bytes, as Python prints the ssh plugin's result tuple", () => {
  expect(pyBytesRepr(Buffer.from('/root\n'))).toBe("b'/root\\n'");
  expect(pyBytesRepr(Buffer.from("it's"))).toBe(`b"it's"`);
  expect(pyBytesRepr(Buffer.from(`both ' and "`))).toBe(`b'both \\' and "'`);
  expect(pyBytesRepr(Buffer.from([0, 0xff, 9, 13, 0x5c, 0x78]))).toBe("b'\\x00\\xff\\t\\r\\\\x'");
});

test('shlex.quote', () => {
  expect(pyShellQuote('a^b')).toBe("'a^b'");
  expect(pyShellQuote('abc-/.:=,@%+')).toBe('abc-/.:=,@%+');
  expect(pyShellQuote('')).toBe("''");
  expect(pyShellQuote("it's")).toBe(`'it'"'"'s'`);
});

test("ssh arguments in _build_command's order", () => {
  expect(
    sshCommandArgs({ host: 'h', sshArgs: '-C -o ControlMaster=auto', hostKeyChecking: false, port: 2222, privateKeyFile: '/k', user: 'u', timeoutSeconds: 5, sshCommonArgs: '-o ProxyJump=j', sshExtraArgs: '-o ServerAliveInterval=3' }),
  ).toEqual(['ssh', '-C', '-o', 'ControlMaster=auto', '-o', 'StrictHostKeyChecking=no', '-o', 'Port=2222', '-o', 'IdentityFile="/k"', '-o', 'KbdInteractiveAuthentication=no', '-o', 'PreferredAuthentications=gssapi-with-mic,gssapi-keyex,hostbased,publickey', '-o', 'PasswordAuthentication=no', '-o', 'User="u"', '-o', 'ConnectTimeout=5', '-o', 'ProxyJump=j', '-o', 'ServerAliveInterval=3']);
  // with a password the key-only options are left out, as Ansible does
  expect(sshCommandArgs({ host: 'h', password: 'x' })).toEqual(['ssh', '-o', 'ConnectTimeout=10']);
});
