"""The push channel: changes the screens must hear of at once, fanned out to their open streams.

changes    what a committed transaction changed that screens care about
notifiers  how changes travel to every server process (in-process, PostgreSQL NOTIFY)
hub        the open streams of this process, their queues and the replay buffer
dispatch   turns changes into events per location: manifest-changed, alert
channel    the whole, started and stopped with the app
"""
