// The side panel: the room's name and exits, then who is in the room with their status.
import { Box, Text } from 'ink';
import type { Occupant, RoomView } from '../../shared/protocol.js';
import { exitNames, statusLabel } from './format.js';
import { rowCount } from './wrap.js';

export interface OccupantsPanelProps {
  room: RoomView | null;
  occupants: readonly Occupant[];
  selfId: string | null;
  width: number;
  height: number;
}

const STATUS_COLOR: Record<string, string> = { away: 'yellow', busy: 'magenta', linkdead: 'red' };

export function OccupantsPanel({ room, occupants, selfId, width, height }: OccupantsPanelProps) {
  // Inside the border (1 column) and the padding (1 column).
  const inner = Math.max(1, width - 2);
  const exits = room ? `Exits: ${exitNames(room).join(', ') || 'none'}` : '';
  const used = 1 + (room ? rowCount(exits, inner) : 0) + 2; // name, exits, blank, heading
  const listRows = Math.max(0, height - used);
  // The player first, then the others in order of arrival.
  const sorted = [...occupants.filter((o) => o.id === selfId), ...occupants.filter((o) => o.id !== selfId)];
  const overflow = sorted.length > listRows;
  const shown = overflow ? sorted.slice(0, Math.max(0, listRows - 1)) : sorted;
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="single"
      borderTop={false}
      borderBottom={false}
      borderRight={false}
      borderColor="gray"
      paddingLeft={1}
      overflow="hidden"
    >
      <Text bold color="cyan" wrap="truncate-end">
        {room ? room.name : 'Nowhere yet'}
      </Text>
      {room && <Text color="green">{exits}</Text>}
      <Text> </Text>
      <Text bold underline>
        In this room
      </Text>
      {shown.map((o) => {
        const label = statusLabel(o);
        return (
          <Text key={o.id} wrap="truncate-end">
            {o.id === selfId ? <Text color="cyan">{o.name}</Text> : o.name}
            {o.id === selfId && <Text dimColor> (you)</Text>}
            {label && <Text color={STATUS_COLOR[o.status] ?? 'gray'}>{` (${label})`}</Text>}
          </Text>
        );
      })}
      {overflow && <Text dimColor>{`... and ${sorted.length - shown.length} more`}</Text>}
    </Box>
  );
}
