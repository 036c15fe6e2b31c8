// The login screen: which server, whether it can be reached, the current question and the answer
// being typed (masked for passwords), and what went wrong in plain words.
import { Box, Text } from 'ink';
import type { ConnectionStatus } from './client.js';
import type { EditorState } from './editor.js';
import { InputLine } from './InputLine.js';
import { isSecret, prompt, type LoginState } from './login.js';
import { secondsUntil, useNow } from './StatusLine.js';

export interface LoginScreenProps {
  url: string;
  login: LoginState;
  input: EditorState;
  connection: ConnectionStatus;
  width: number;
  height: number;
}

function serverLine(url: string, status: ConnectionStatus, now: number): { text: string; color: string } {
  switch (status.state) {
    case 'connected':
      return { text: `Connected to ${url}.`, color: 'green' };
    case 'connecting':
      return { text: `Connecting to ${url}...`, color: 'yellow' };
    case 'reconnecting':
      return {
        text: `Cannot reach the server: ${status.reason}. Trying again in ${secondsUntil(status.retryAt, now)} s.`,
        color: 'red',
      };
    case 'offline':
      return { text: `Not connected: ${status.reason}`, color: 'red' };
  }
}

export function LoginScreen({ url, login, input, connection, width, height }: LoginScreenProps) {
  const now = useNow(connection.state === 'reconnecting');
  const server = serverLine(url, connection, now);
  // Sent away (too many wrong passwords, too slow): no question to answer until Enter starts over.
  const stopped = connection.state === 'offline';
  const waiting = login.step === 'waiting';
  const hint = !stopped ? 'Enter to answer, Ctrl+C to leave.' : connection.rejoin ? 'Enter to start again, Ctrl+C to leave.' : 'Ctrl+C to leave.';
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold color="cyan">
        MythosMUD
      </Text>
      <Text dimColor>Arkham, Massachusetts. The lamps are lit; something is wrong in the old town.</Text>
      <Text> </Text>
      <Text color={server.color}>{server.text}</Text>
      <Text> </Text>
      {!stopped && <Text bold>{prompt(login)}</Text>}
      {!stopped && !waiting && <InputLine editor={input} width={width - 2} secret={isSecret(login)} />}
      {!stopped && login.error && <Text color="red">{login.error}</Text>}
      <Text> </Text>
      <Text dimColor>{hint}</Text>
    </Box>
  );
}
