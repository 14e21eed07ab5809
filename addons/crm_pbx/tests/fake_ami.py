"""A stand-in for Asterisk's manager interface (AMI) that plays recordings.

A recording (``tests/ami/*.txt``) is what Asterisk sends on one connection,
in the AMI's documented format with LF line ends (sent as CRLF): the
``Asterisk Call Manager/<version>`` banner, then blocks separated by a blank
line. ``Response:`` blocks answer the client's actions in turn (their
``ActionID`` replaced by the action's, as Asterisk echoes it); ``Event:``
blocks are streamed once the login is answered, in small pieces. A
recording that ends inside a block (no blank line at its end) is a
connection dropped mid-stream: the partial block is sent, then the
connection closed.

Each connection plays the next recording; once they are all played, a
connection gets the banner and login only. Actions without a recorded
answer get what Asterisk answers: ``Ping`` a pong, ``Originate`` a queued
success followed by its ``OriginateResponse`` event.
"""

import asyncio
from pathlib import Path

RECORDINGS = Path(__file__).parent / "ami"
EOL = "\r\n"


def parse_blocks(text):
    """AMI text into its header lines: a list of [(name, value)]."""
    return [
        [tuple(line.split(": ", 1)) for line in block.split(EOL) if ": " in line]
        for block in text.split(EOL + EOL)
        if block.strip()
    ]


class Recording:
    def __init__(self, name):
        text = (RECORDINGS / name).read_text().replace("\n", EOL)
        self.banner, _sep, rest = text.partition(EOL)
        self.dropped = not rest.endswith(EOL + EOL)
        blocks = rest.split(EOL + EOL)
        self.partial = blocks.pop() if self.dropped else ""
        blocks = [block + EOL + EOL for block in blocks if block]
        self.responses = [block for block in blocks if block.startswith("Response:")]
        self.events = [block for block in blocks if block.startswith("Event:")]


class FakeAmi:
    """Serves recordings on 127.0.0.1, a free port; keeps every action it got."""

    CHUNK = 57  # bytes per write: blocks arrive split, as over a real network

    def __init__(self, *recordings):
        self.recordings = [Recording(name) for name in recordings]
        self.actions = []  # dicts of the actions received, in order
        self.connections = 0
        self.played = 0  # recordings played to their end
        self.server = None
        self.port = None
        self._clients = {}  # serving task: its writer
        self.errors = []

    async def start(self):
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def stop(self):
        """Close the clients' connections, then the server, and let them end."""
        self.server.close()
        for writer in self._clients.values():
            writer.close()
        await asyncio.gather(*self._clients, return_exceptions=True)
        await self.server.wait_closed()

    def actions_named(self, name):
        return [action for action in self.actions if action.get("Action") == name]

    async def _serve(self, reader, writer):
        self.connections += 1
        self._clients[asyncio.current_task()] = writer
        index = self.connections - 1
        recording = (
            self.recordings[index]
            if index < len(self.recordings)
            else Recording("login_only.txt")
        )
        responses = list(recording.responses)
        logged_in = asyncio.Event()
        writer.write((recording.banner + EOL).encode())
        answering = asyncio.create_task(
            self._answer(reader, writer, responses, logged_in)
        )
        try:
            await asyncio.wait_for(logged_in.wait(), 10)
            for block in recording.events:
                await self._send(writer, block)
            if recording.dropped:
                await self._send(writer, recording.partial)
                writer.transport.abort()  # no goodbye: the network is gone
            if index < len(self.recordings):
                self.played += 1
            if not recording.dropped:
                await answering
        except (ConnectionError, asyncio.TimeoutError) as error:
            self.errors.append(error)  # the client left or never logged in
        finally:
            answering.cancel()
            writer.close()
            self._clients.pop(asyncio.current_task(), None)

    async def _send(self, writer, text):
        data = text.encode()
        for start in range(0, len(data), self.CHUNK):
            writer.write(data[start : start + self.CHUNK])
            await writer.drain()
            await asyncio.sleep(0)

    async def _answer(self, reader, writer, responses, logged_in):
        """Read the client's actions until it leaves, answering each."""
        buffer = ""
        while data := await reader.read(4096):
            buffer += data.decode()
            *blocks, buffer = buffer.split(EOL + EOL)
            for block in blocks:
                action = dict(parse_blocks(block)[0]) if block.strip() else {}
                if not action:
                    continue
                self.actions.append(action)
                writer.write(self._response(action, responses).encode())
                if action.get("Action") == "Login":
                    logged_in.set()

    @staticmethod
    def _response(action, responses):
        action_id = action.get("ActionID", "")
        name = action.get("Action")
        if responses and name == "Login":
            lines = responses.pop(0).split(EOL)
            lines = [
                f"ActionID: {action_id}" if line.startswith("ActionID:") else line
                for line in lines
            ]
            return EOL.join(lines)
        if name == "Ping":
            return (
                f"Response: Success{EOL}ActionID: {action_id}{EOL}Ping: Pong{EOL * 2}"
            )
        if name == "Originate":
            return (
                f"Response: Success{EOL}ActionID: {action_id}{EOL}"
                f"Message: Originate successfully queued{EOL * 2}"
                f"Event: OriginateResponse{EOL}Privilege: call,all{EOL}"
                f"ActionID: {action_id}{EOL}Response: Success{EOL}"
                f"Channel: {action.get('Channel')}{EOL}Context: "
                f"{action.get('Context')}{EOL}Exten: {action.get('Exten')}{EOL}"
                f"Reason: 4{EOL}Uniqueid: 1700000200.20{EOL * 2}"
            )
        return (
            f"Response: Error{EOL}ActionID: {action_id}{EOL}"
            f"Message: Invalid/unknown command{EOL * 2}"
        )
